import type { ConversationView, MessageView } from '@kefu-protocol/message-schemas';
import { api } from './client';

export type { ConversationView, MessageView };

export interface EvaluationInput {
  topic: string | null;
  valid: boolean | null;
  note: string | null;
}

const base = '/api/conversations';

/** REST views of conversations (CONV-LISTS-1, EVAL-FORM-1); live traffic goes over the `/agent` socket. */
export const conversationsApi = {
  mine: (query: { status?: 'active' | 'ended'; before?: number; limit?: number }) =>
    api.get<{ items: ConversationView[] }>(`${base}/mine`, { query }),
  awaitingEvaluation: () => api.get<{ items: ConversationView[] }>(`${base}/awaiting-evaluation`),
  messages: (id: number, afterSeq = 0) =>
    api.get<{ conversation: ConversationView; messages: MessageView[] }>(`${base}/${id}/messages`, { query: { afterSeq } }),
  evaluate: (id: number, body: EvaluationInput) => api.put<{ conversation: ConversationView }>(`${base}/${id}/evaluation`, body),
};

/** Blocking the visitor of a row (VISITOR-BLOCK-13; `visitor.block`). */
export const visitorsApi = {
  block: (id: number, body: { kind: 'visitor' | 'chat'; note?: string | null }) => api.post<unknown>(`/api/visitors/${id}/block`, body),
};
