import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { idParams } from '../accounts/agent-schemas.ts';
import { conversationView, messageView } from '../protocol/message-schemas.ts';
import { ConversationQueries } from './conversation-queries.ts';
import { ConversationService } from './conversation-service.ts';
import { bulkEvaluationBody, evaluationBody, evaluationChange, EvaluationService, evaluationView } from './evaluation-service.ts';

const evaluationResponse = z.object({ conversation: conversationView, evaluation: evaluationView, changes: z.array(evaluationChange) });

/** REST views of conversations for the console (lists, transcript, evaluation); live traffic goes over sockets. */
export function registerConversationRoutes(api: ApiRouter, c: DependencyContainer) {
  const queries = c.resolve(ConversationQueries);
  const conversations = c.resolve(ConversationService);
  const evaluations = c.resolve(EvaluationService);
  const tags = ['conversations'];

  api.route({
    method: 'get',
    path: '/api/conversations/mine',
    summary: 'My conversations, newest first (CONV-LISTS-1)',
    tags,
    auth: 'agent',
    query: z.strictObject({
      status: z.enum(['active', 'ended']).optional(),
      before: z.coerce.number().int().positive().optional(),
      limit: z.coerce.number().int().min(1).max(100).default(20),
    }),
    response: z.object({ items: z.array(conversationView) }),
    handler: async ({ query, auth }) => ({ items: await queries.ofAgent(auth.tenant, auth.agent.id, query) }),
  });
  api.route({
    method: 'get',
    path: '/api/conversations/awaiting-evaluation',
    summary: 'My ended conversations not yet evaluated (TOOLBAR-EVALPENDING-4)',
    tags,
    auth: 'agent',
    response: z.object({ items: z.array(conversationView) }),
    handler: async ({ auth }) => ({ items: await evaluations.awaiting(auth) }),
  });
  api.route({
    method: 'get',
    path: '/api/conversations/:id/messages',
    summary: 'Transcript of a conversation I serve (or any, with history.viewAll): after afterSeq, or a page before beforeSeq',
    tags,
    auth: 'agent',
    params: idParams,
    query: z.strictObject({
      afterSeq: z.coerce.number().int().min(0).default(0),
      beforeSeq: z.coerce.number().int().min(1).optional().describe('Instead of afterSeq: the `limit` messages just before this seq (keyset, CONV-PANE-2)'),
      limit: z.coerce.number().int().min(1).max(200).default(50).describe('With beforeSeq only'),
    }),
    response: z.object({ conversation: conversationView, messages: z.array(messageView) }),
    handler: ({ params, query, auth }) =>
      conversations.sync(
        auth.companyId,
        params.id,
        { kind: 'agent', agentId: auth.agent.id, nickname: auth.agent.nickname, isAdmin: auth.agent.role === 'admin' || auth.can('history.viewAll') },
        query.afterSeq,
        query.beforeSeq ? { beforeSeq: query.beforeSeq, limit: query.limit } : undefined,
      ),
  });
  api.route({
    method: 'get',
    path: '/api/conversations/:id/evaluation',
    summary: 'The evaluation of a conversation I served or may see in history, its version and 修改记录 (EVAL-HISTORY-4)',
    tags,
    auth: 'agent',
    params: idParams,
    response: evaluationResponse,
    handler: ({ params, auth }) => evaluations.viewVisible(auth, params.id),
  });
  api.route({
    method: 'put',
    path: '/api/conversations/:id/evaluation',
    summary:
      'Evaluate a running or ended conversation, or change its evaluation: topic from the company list, valid/invalid, valuable, summary (EVAL-FORM-1, HISTORY-EVALUATE-8); `version` as loaded, else 409 evaluation_changed with the current values; past the editable window 409 conversation_archived',
    tags,
    auth: 'agent',
    params: idParams,
    body: evaluationBody,
    response: evaluationResponse,
    handler: ({ params, body, auth }) => evaluations.evaluate(auth, params.id, body),
  });
  api.route({
    method: 'post',
    path: '/api/conversations/evaluations',
    summary: '批量评估: one topic and validity for up to 100 conversations; each answers on its own (EVAL-BULK-7)',
    tags,
    auth: 'agent',
    body: bulkEvaluationBody,
    response: z.object({ results: z.array(z.object({ conversationId: z.number(), ok: z.boolean(), error: z.string().nullable() })) }),
    handler: ({ body, auth }) => evaluations.evaluateMany(auth, body),
  });
}
