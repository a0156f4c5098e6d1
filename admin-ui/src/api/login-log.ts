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
  durationSeconds: number | null;
  online: boolean;
  /** The viewer may sign this row's session out (LOGINLOG-FORCE-7). */
  mayEnd: boolean;
}

export interface LoginLogFilters {
  /** The agent's numeric `id` (not the typed agent ID). */
  agentId?: number;
  result?: LoginResult;
  method?: string;
  /** A failure's reason, an event's kind or a sign-out reason. */
  reason?: string;
  /** One address or a CIDR range. */
  ip?: string;
  /** ISO instants: entries from `from` (inclusive) to `to` (exclusive); without `from`, the last 7 days. */
  from?: string;
  to?: string;
}

export type LoginLogQuery = LoginLogFilters & PageQuery;

export const loginLogApi = {
  list: (query: LoginLogQuery, signal?: AbortSignal) => api.get<Page<LoginLogEntry>>('/api/login-log', { query: { ...query }, signal }),
  /** 强制下线 of the session behind a row still online (AGENT-SESSIONS-20). */
  signOut: (id: number | string) => api.post<{ ended: number }>(`/api/login-log/${id}/sign-out`),
  exportUrl: (filters: LoginLogFilters, format: 'csv' | 'xlsx') =>
    `/api/login-log/export?${new URLSearchParams({ ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)])), format })}`,
};
