import { api } from './client';
import type { Page, PageQuery } from './types';

export type LoginResult = 'success' | 'failure' | 'event';

export interface LoginLogEntry {
  id: number | string;
  time: string;
  agentId: string;
  agentName: string | null;
  type: string;
  result: LoginResult;
  reason: string | null;
  method: string | null;
  factor: string | null;
  ip: string | null;
  browser: string | null;
  os: string | null;
  /** A security event's description (type `event`). */
  summary?: string | null;
  logoutAt: string | null;
  logoutReason: string | null;
}

export interface LoginLogQuery extends PageQuery {
  /** The agent's numeric `id` (not the typed agent ID). */
  agentId?: number;
  result?: LoginResult;
  /** ISO instants: entries from `from` (inclusive) to `to` (exclusive). */
  from?: string;
  to?: string;
}

export const loginLogApi = {
  list: (query: LoginLogQuery, signal?: AbortSignal) => api.get<Page<LoginLogEntry>>('/api/login-log', { query: { ...query }, signal }),
};
