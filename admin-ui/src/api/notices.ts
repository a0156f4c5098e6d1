import { api } from './client';

/** A notice as its recipient sees it (NOTICE-DELIVER-3, NOTICE-LIST-6). */
export interface Notice {
  id: number;
  title: string;
  content: string;
  important: boolean;
  publisherId: number;
  publisherNickname: string;
  startsAt: string;
  endsAt: string;
  readAt: string | null;
}

export interface NoticeRecipients {
  everyone: boolean;
  groupIds: number[];
  agentIds: number[];
}

export interface NoticeInput extends NoticeRecipients {
  title: string;
  content: string;
  important: boolean;
  startsAt?: string;
  endsAt?: string;
}

/** What the publisher sees (NOTICE-MANAGE-7). */
export interface ManagedNotice extends Omit<Notice, 'readAt'>, NoticeRecipients {
  state: 'scheduled' | 'active' | 'ended' | 'withdrawn';
  recipientCount: number;
}

export interface NoticeReceipts {
  read: number;
  unread: number;
  recipients: { agentId: number; agentLogin: string; name: string; nickname: string; readAt: string | null }[];
}

export const noticesApi = {
  /** `active`: inside their window now; `recent`: the last 90 days. */
  mine: (scope: 'active' | 'recent') => api.get<{ items: Notice[]; unread: number }>('/api/notices', { query: { scope } }),
  read: (id: number) => api.post<{ readAt: string }>(`/api/notices/${id}/read`),
  publish: (body: NoticeInput) => api.post<ManagedNotice>('/api/notices', body),
  count: (body: NoticeRecipients) => api.post<{ count: number }>('/api/notices/recipients/count', body),
  receipts: (id: number) => api.get<NoticeReceipts>(`/api/notices/${id}/receipts`),
  withdraw: (id: number) => api.post<ManagedNotice>(`/api/notices/${id}/withdraw`),
};
