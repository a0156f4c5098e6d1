import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { idParams } from '../accounts/agent-schemas.ts';
import { TopicService } from './topic-service.ts';

const tags = ['topics'];
const permission = 'topics.manage';
const name = z
  .string()
  .trim()
  .min(1)
  .refine((s) => [...s].length <= 20, { message: 'At most 20 characters', params: { code: 'too_big' } });
const topicView = z.object({ id: z.number(), name: z.string(), position: z.number(), isDefault: z.boolean(), deleted: z.boolean() });
const list = z.object({ items: z.array(topicView) });

/** Conversation topics (CHATSET-TOPICS-4, CHATSET-TOPICDEFAULT-5): every agent reads them, `topics.manage` edits them. */
export function registerTopicRoutes(api: ApiRouter, c: DependencyContainer) {
  const topics = c.resolve(TopicService);

  api.route({
    method: 'get',
    path: '/api/topics',
    summary: 'The topics in order; `includeDeleted=true` adds deleted ones, marked (history filters, reports)',
    tags,
    auth: 'agent',
    query: z.strictObject({ includeDeleted: z.enum(['true', 'false']).default('false') }),
    response: list,
    handler: async ({ query, auth }) => ({ items: await topics.list(auth.tenant, query.includeDeleted === 'true') }),
  });
  api.route({
    method: 'post',
    path: '/api/topics',
    summary: 'Add a topic (CHATSET-TOPICS-4)',
    tags,
    auth: 'agent',
    permission,
    status: 201,
    body: z.strictObject({ name }),
    response: topicView,
    handler: ({ body, auth }) => topics.create(auth, body.name),
  });
  api.route({
    method: 'put',
    path: '/api/topics/order',
    summary: 'Order the topics (CHATSET-TOPICS-4)',
    tags,
    auth: 'agent',
    permission,
    body: z.strictObject({ ids: z.array(z.number().int().positive()).min(1).max(100) }),
    response: list,
    handler: async ({ body, auth }) => ({ items: await topics.reorder(auth, body.ids) }),
  });
  api.route({
    method: 'patch',
    path: '/api/topics/:id',
    summary: 'Rename a topic or make it the default (CHATSET-TOPICS-4, CHATSET-TOPICDEFAULT-5)',
    tags,
    auth: 'agent',
    permission,
    params: idParams,
    body: z.strictObject({ name: name.optional(), isDefault: z.boolean().optional() }),
    response: topicView,
    handler: ({ params, body, auth }) => topics.update(auth, params.id, body),
  });
  api.route({
    method: 'delete',
    path: '/api/topics/:id',
    summary: 'Delete a topic: hidden from new evaluations, kept on past ones (CHATSET-TOPICS-4)',
    tags,
    auth: 'agent',
    permission,
    params: idParams,
    handler: ({ params, auth }) => topics.remove(auth, params.id),
  });
}
