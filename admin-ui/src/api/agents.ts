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

export interface AgentCreate extends AgentFields {
  agentId: string;
  password: string;
}

export interface AgentUpdate extends AgentFields {
  version: number;
}

const base = '/api/agents';

export const agentsApi = {
  list: (query: AgentQuery, signal?: AbortSignal) => api.get<Page<AgentRow>>(base, { query: { ...query }, signal }),
  create: (body: AgentCreate) => api.post<AgentRow>(base, body),
  update: (id: number, body: AgentUpdate) => api.patch<AgentRow>(`${base}/${id}`, body),
  disable: (id: number) => api.post<void>(`${base}/${id}/disable`),
  enable: (id: number) => api.post<void>(`${base}/${id}/enable`),
  remove: (id: number) => api.delete<void>(`${base}/${id}`),
  resetPassword: (id: number, password: string) => api.post<void>(`${base}/${id}/password`, { password }),
  endSessions: (id: number) => api.post<void>(`${base}/${id}/sessions/end`),
};
