import type { ConversationView, MessageView } from '@kefu-protocol/message-schemas';
import { api, ApiError } from './client';

export type { ConversationView, MessageView };

/** EVAL-FORM-1; `version` is the one the form was loaded with (409 evaluation_changed when stale). */
export interface EvaluationInput {
  topic: string;
  valid: boolean;
  valuable: boolean;
  note: string | null;
  version: number;
}

export interface EvaluationValues {
  topic: string | null;
  valid: boolean | null;
  valuable: boolean;
  note: string | null;
}
/** The server's evaluation view (core/src/conversations/evaluation-service.ts). */
export interface EvaluationView extends EvaluationValues {
  version: number;
  evaluatedAt: string | null;
  evaluatedBy: number | null;
  rating: number | null;
  locked: boolean;
}
/** One entry of 修改记录. */
export interface EvaluationChange {
  version: number;
  agent: { id: number; nickname: string | null } | null;
  at: string;
  old: EvaluationValues | null;
  new: EvaluationValues;
}
export interface EvaluationState {
  conversation: ConversationView;
  evaluation: EvaluationView;
  changes: EvaluationChange[];
}

const base = '/api/conversations';

/** REST views of conversations (CONV-LISTS-1, EVAL-FORM-1); live traffic goes over the `/agent` socket. */
export const conversationsApi = {
  mine: (query: { status?: 'active' | 'ended'; before?: number; limit?: number }) =>
    api.get<{ items: ConversationView[] }>(`${base}/mine`, { query }),
  awaitingEvaluation: () => api.get<{ items: ConversationView[] }>(`${base}/awaiting-evaluation`),
  messages: (id: number, afterSeq = 0) =>
    api.get<{ conversation: ConversationView; messages: MessageView[] }>(`${base}/${id}/messages`, { query: { afterSeq } }),
  /** The `limit` messages before `beforeSeq`: the pane reads a transcript from its end (CONV-PANE-2). */
  page: (id: number, beforeSeq: number, limit: number) =>
    api.get<{ conversation: ConversationView; messages: MessageView[] }>(`${base}/${id}/messages`, { query: { beforeSeq, limit } }),
  evaluation: (id: number) => api.get<EvaluationState>(`${base}/${id}/evaluation`),
  evaluate: (id: number, body: EvaluationInput) => api.put<EvaluationState>(`${base}/${id}/evaluation`, body),
  /** 发送记录 (CONV-EMAIL-39): e-mail the transcript now; who sent it to whom before. */
  emailTranscript: (id: number, emails: string[], language: string) =>
    api.post<{ sent: number; remaining: number }>(`${base}/${id}/transcript/email`, { emails, language }),
  transcriptSends: (id: number) => api.get<{ items: TranscriptSend[] }>(`${base}/${id}/transcript/sends`),
};

export interface TranscriptSend {
  email: string;
  /** null: the visitor asked for it (CONV-TRANSCRIPT-40). */
  agentId: number | null;
  agentNickname: string | null;
  at: string;
  /** Waiting for the conversation to end. */
  queued: boolean;
}

/** Sends a file into a conversation (CONV-FILE-14): multipart, so not through the JSON client. */
export async function uploadFile(file: File, conversationId: number): Promise<{ message: MessageView | null }> {
  const body = new FormData();
  body.set('conversationId', String(conversationId));
  body.set('clientId', crypto.getRandomValues(new Uint32Array(4)).join('-'));
  body.set('file', file);
  const response = await fetch('/api/files', { method: 'POST', body, credentials: 'same-origin', headers: { Accept: 'application/json' } });
  const json = await response.json().catch(() => null);
  if (!response.ok) {
    const e = json?.error;
    throw new ApiError(response.status, typeof e?.code === 'string' ? e.code : `http_${response.status}`, e?.message ?? response.statusText);
  }
  return json;
}
