import { api } from './client';
import type { Me, Page, PageQuery, Role } from './types';

export interface AgentRow extends Me {
  disabled: boolean;
  groups: { id: number; name: string }[];
  maxChats: number | null;
  lastLoginAt: string | null;
  createdAt: string;
  version: number;
}

export interface AgentQuery extends PageQuery {
  q?: string;
  status?: 'enabled' | 'disabled';
  role?: Role;
}

export interface AgentFields {
  name: string;
  nickname?: string;
  email?: string;
  phone?: string;
  role: Role;
  permissions: string[];
  groupIds?: number[];
  maxChats?: number | null;
}

export interface AgentCreate extends Omit<AgentFields, 'permissions'> {
  permissions?: string[];
  agentId: string;
  password: string;
  /** 首次登录须修改密码 (SPEC LOGIN-FIRSTPW-15); the server's default is on. */
  mustChangePassword?: boolean;
  /** Start from this template (AGENT-TEMPLATE-18); sent instead of `permissions` while they are the template's. */
  templateId?: number;
}

/** Every field optional; `null` clears e-mail or phone; `version` guards against lost updates (409 `agent_changed`). */
export type AgentUpdate = Partial<Omit<AgentFields, 'email' | 'phone'>> & {
  email?: string | null;
  phone?: string | null;
  version: number;
};

/** 客服详情 (SPEC AGENT-DETAIL-2). */
export interface AgentDetail {
  agent: AgentRow;
  status: 'online' | 'busy' | 'away' | 'invisible' | 'offline';
  statusSince: string | null;
  load: number;
  acceptedToday: number;
  sessions: { id: number; method: string | null; ip: string | null; createdAt: string; lastActiveAt: string }[];
  loginLog: { id: number; at: string; result: string; reason: string | null; ip: string | null; method: string | null }[];
}

const base = '/api/agents';

export const agentsApi = {
  list: (query: AgentQuery, signal?: AbortSignal) => api.get<Page<AgentRow>>(base, { query: { ...query }, signal }),
  get: (id: number) => api.get<AgentRow>(`${base}/${id}`),
  detail: (id: number) => api.get<AgentDetail>(`${base}/${id}/detail`),
  create: (body: AgentCreate) => api.post<AgentRow>(base, body),
  update: (id: number, body: AgentUpdate) => api.patch<AgentRow>(`${base}/${id}`, body),
  disable: (id: number) => api.post<void>(`${base}/${id}/disable`),
  enable: (id: number) => api.post<void>(`${base}/${id}/enable`),
  /** The typed agent ID confirms the deletion (SPEC AGENT-DELETE-8); a DELETE carries it in the query. */
  remove: (id: number, confirmAgentId: string) => api.delete<void>(`${base}/${id}`, { query: { confirmAgentId } }),
  resetPassword: (id: number, password: string) => api.post<void>(`${base}/${id}/password`, { password }),
  endSessions: (id: number) => api.post<void>(`${base}/${id}/sessions/end`),
};
