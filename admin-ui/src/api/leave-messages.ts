import type { z } from 'zod';
import type { outreachBody, outreachView } from '../../../core/src/leavemsg/leave-message-outreach-schemas.ts';
import { api } from './client';
import type { PageQuery } from './types';

export type LeaveMessageStatus = 'unreplied' | 'replied';

/** A leave-message as `/api/leave-messages` returns it (LEAVEMSG-LIST-1, LEAVEMSG-DETAIL-4). */
export interface LeaveMessage {
  id: number;
  visitorId: number | null;
  channel: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  content: string;
  fields: Record<string, string>;
  status: LeaveMessageStatus;
  type: string | null;
  note: string | null;
  handlerId: number | null;
  handlerName: string | null;
  groupId: number | null;
  groupName: string | null;
  language: string | null;
  ip: string | null;
  pageUrl: string | null;
  version: number;
  createdAt: string;
  repliedAt: string | null;
}

export interface LeaveMessageReply {
  id: number;
  channel: string;
  to: string;
  subject: string | null;
  body: string;
  agentId: number | null;
  agentName: string | null;
  createdAt: string;
  state: 'sending' | 'sent' | 'failed';
}

export interface LeaveMessageChange {
  field: string;
  oldValue: string | null;
  newValue: string | null;
  agentId: number | null;
  agentName: string | null;
  createdAt: string;
}

export interface LeaveMessageDetail extends LeaveMessage {
  replies: LeaveMessageReply[];
  changes: LeaveMessageChange[];
  /** Another agent with the reply composer open (LEAVEMSG-LOCK-11). */
  replying: { agentId: number; nickname: string } | null;
}

/** LEAVEMSG-FILTER-2; empty values are left out. */
export interface LeaveMessageFilters {
  status?: LeaveMessageStatus;
  /** ISO instants; `to` is exclusive. */
  from?: string;
  to?: string;
  type?: string;
  noType?: 'true';
  groupId?: number;
  /** An agent id, `me` or `unassigned`. */
  handler?: string;
  keyword?: string;
  pageUrl?: string;
  ids?: string;
}

export type LeaveMessageQuery = LeaveMessageFilters & PageQuery;

export interface LeaveMessagePage {
  items: LeaveMessage[];
  total: number;
  unreplied: number;
}

export interface LeaveMessagePatch {
  status?: LeaveMessageStatus;
  type?: string | null;
  note?: string | null;
  handlerId?: number | null;
  /** The version read; a stale one answers 409 leavemsg_changed. */
  version: number;
}

export interface LeaveMessageOptions {
  types: string[];
  groups: { id: number; name: string }[];
  handlers: { id: number; nickname: string }[];
}

export type BulkAction =
  | { action: 'status'; status: LeaveMessageStatus }
  | { action: 'type'; type: string | null }
  | { action: 'handler'; handlerId: number | null }
  | { action: 'delete' };

export interface BulkResult {
  results: { id: number; ok: boolean; error?: string }[];
}

/** LEAVEMSG-CHAT-10: whether the visitor is on the site, and what was started from the leave-message. */
export type LeaveMessageOutreach = z.output<typeof outreachView>;

const defined = (q: object) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== ''));

export const leaveMessagesApi = {
  list: (query: LeaveMessageQuery, signal?: AbortSignal) => api.get<LeaveMessagePage>('/api/leave-messages', { query: defined(query), signal }),
  get: (id: number) => api.get<LeaveMessageDetail>(`/api/leave-messages/${id}`),
  update: (id: number, body: LeaveMessagePatch) => api.patch<LeaveMessage>(`/api/leave-messages/${id}`, body),
  options: () => api.get<LeaveMessageOptions>('/api/leave-messages/options'),
  unreplied: () => api.get<{ unreplied: number }>('/api/leave-messages/unreplied'),
  bulk: (ids: number[], action: BulkAction) => api.post<BulkResult>('/api/leave-messages/bulk', { ids, ...action }),
  replying: (id: number, active: boolean) => api.post<void>(`/api/leave-messages/${id}/replying`, { active }),
  reply: (id: number, body: { subject?: string; body: string; confirm?: boolean }) =>
    api.post<{ replyId: number; leaveMessage: LeaveMessage }>(`/api/leave-messages/${id}/replies`, body),
  outreach: (id: number) => api.get<LeaveMessageOutreach>(`/api/leave-messages/${id}/outreach`),
  startOutreach: (id: number, body: z.input<typeof outreachBody>) => api.post<unknown>(`/api/leave-messages/${id}/outreach`, body),
  exportUrl: (filters: LeaveMessageFilters, format: 'csv' | 'xlsx') =>
    `/api/leave-messages/export?${new URLSearchParams({ ...(defined(filters) as Record<string, string>), format })}`,
};
