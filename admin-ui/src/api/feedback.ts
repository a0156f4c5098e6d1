import { api } from './client';

export type FeedbackType = 'problem' | 'suggestion' | 'other';
export type FeedbackState = 'submitted' | 'in_progress' | 'replied' | 'closed';

/** An item in 我的反馈 (SPEC FEEDBACK-LIST-3). */
export interface FeedbackSummary {
  id: number;
  type: FeedbackType;
  title: string;
  state: FeedbackState;
  submitter: { id: number; agentId: string; nickname: string };
  unreadReplies: number;
  createdAt: string;
  updatedAt: string;
}

export interface FeedbackDetail extends FeedbackSummary {
  contact: string | null;
  closedAt: string | null;
  messages: { id: number; author: 'submitter' | 'operator' | 'admin'; authorName: string | null; content: string; createdAt: string }[];
}

export interface FeedbackInput {
  type: FeedbackType;
  title: string;
  content: string;
  contact?: string | null;
  diagnostics?: Record<string, unknown> | null;
}

const base = '/api/feedback';

export const feedbackApi = {
  list: () => api.get<{ items: FeedbackSummary[]; adminsAnswer: boolean }>(base),
  get: (id: number) => api.get<FeedbackDetail>(`${base}/${id}`),
  submit: (input: FeedbackInput) => api.post<FeedbackDetail>(base, input),
  message: (id: number, content: string) => api.post<FeedbackDetail>(`${base}/${id}/messages`, { content }),
  close: (id: number) => api.post<FeedbackDetail>(`${base}/${id}/close`),
  reopen: (id: number) => api.post<FeedbackDetail>(`${base}/${id}/reopen`),
};
