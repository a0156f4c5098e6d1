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
  groupId: number | null;
  language: string | null;
  ip: string | null;
  pageUrl: string | null;
  version: number;
  createdAt: string;
  repliedAt: string | null;
}

export interface LeaveMessageQuery extends PageQuery {
  status?: LeaveMessageStatus;
  /** ISO instants; `to` is exclusive. */
  from?: string;
  to?: string;
}

export interface LeaveMessagePage {
  items: LeaveMessage[];
  total: number;
  unreplied: number;
}

export interface LeaveMessagePatch {
  status?: LeaveMessageStatus;
  type?: string | null;
  note?: string | null;
  /** The version read; a stale one answers 409 leavemsg_changed. */
  version: number;
}

export const leaveMessagesApi = {
  list: (query: LeaveMessageQuery, signal?: AbortSignal) => api.get<LeaveMessagePage>('/api/leave-messages', { query: { ...query }, signal }),
  get: (id: number) => api.get<LeaveMessage>(`/api/leave-messages/${id}`),
  update: (id: number, body: LeaveMessagePatch) => api.patch<LeaveMessage>(`/api/leave-messages/${id}`, body),
};
