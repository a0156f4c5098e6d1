import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { forbidden } from '../http/errors.ts';
import { idParams } from '../accounts/agent-schemas.ts';
import { FeedbackService } from './feedback-service.ts';
import { feedbackDetail, feedbackSummary, messageBody, operatorListQuery, stateBody, submitBody } from './feedback-schemas.ts';

const csvCell = (v: unknown) => {
  const s = v == null ? '' : String(v);
  // A leading = + - @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

/** Feedback (SPEC FEEDBACK §9.4): agents' own items in the console; the operator inbox on the operator API. */
export function registerFeedbackRoutes(api: ApiRouter, c: DependencyContainer) {
  const feedback = c.resolve(FeedbackService);
  const tags = ['feedback'];

  api.route({
    method: 'post',
    path: '/api/feedback',
    summary: 'Submit feedback to the server operator (FEEDBACK-SUBMIT-1)',
    tags,
    auth: 'agent',
    status: 201,
    body: submitBody,
    response: feedbackDetail,
    handler: ({ body, auth }) => feedback.submit(auth, body),
  });
  api.route({
    method: 'get',
    path: '/api/feedback',
    summary: 'My feedback items, newest first; admins see their company’s (FEEDBACK-LIST-3)',
    tags,
    auth: 'agent',
    response: z.object({ items: z.array(feedbackSummary), adminsAnswer: z.boolean() }),
    handler: async ({ auth }) => ({ items: await feedback.list(auth), adminsAnswer: feedback.adminsAnswer(auth) }),
  });
  api.route({
    method: 'get',
    path: '/api/feedback/:id',
    summary: 'A feedback item with its thread; opening it clears my unread replies',
    tags,
    auth: 'agent',
    params: idParams,
    response: feedbackDetail,
    handler: ({ params, auth }) => feedback.read(auth, params.id),
  });
  api.route({
    method: 'post',
    path: '/api/feedback/:id/messages',
    summary: 'Follow up on my item, or reply as an admin in in-house mode (FEEDBACK-THREAD-4, FEEDBACK-LOCAL-6)',
    tags,
    auth: 'agent',
    params: idParams,
    body: messageBody,
    response: feedbackDetail,
    handler: ({ params, body, auth }) => feedback.addFromConsole(auth, params.id, body.content),
  });
  for (const action of ['close', 'reopen'] as const)
    api.route({
      method: 'post',
      path: `/api/feedback/:id/${action}`,
      summary: action === 'close' ? 'Close my item' : 'Reopen my item within 30 days of closing (FEEDBACK-THREAD-4)',
      tags,
      auth: 'agent',
      params: idParams,
      response: feedbackDetail,
      handler: ({ params, auth }) => feedback.closeOrReopen(auth, params.id, action),
    });
  api.route({
    method: 'put',
    path: '/api/feedback/:id/state',
    summary: 'In-house mode: an admin sets the state of a company item (FEEDBACK-LOCAL-6)',
    tags,
    auth: 'agent',
    permission: 'admin',
    params: idParams,
    body: stateBody,
    response: feedbackDetail,
    handler: ({ params, body, auth }) => {
      if (!feedback.adminsAnswer(auth)) throw forbidden('admin', 'States are set by the server operator');
      return feedback.setState(params.id, body.state, auth.companyId);
    },
  });

  const op = ['operator'];
  api.route({
    method: 'get',
    path: '/api/operator/feedback',
    summary: 'Operator inbox: items of all companies, filtered; format=csv exports (FEEDBACK-OPERATOR-5)',
    tags: op,
    auth: 'operator',
    query: operatorListQuery,
    handler: async ({ query, ctx }) => {
      const items = await feedback.operatorList(query);
      if (query.format === 'json') return { items };
      const head = ['id', 'company', 'type', 'state', 'title', 'submitter', 'created_at', 'updated_at'];
      const lines = items.map((i) => [i.id, i.companyId, i.type, i.state, i.title, i.submitter.agentId, i.createdAt, i.updatedAt].map(csvCell).join(','));
      ctx.type = 'text/csv; charset=utf-8';
      ctx.attachment('feedback.csv');
      // The BOM lets spreadsheet programs read the Chinese titles as UTF-8.
      return '\ufeff' + [head.join(','), ...lines].join('\r\n') + '\r\n';
    },
  });
  api.route({
    method: 'get',
    path: '/api/operator/feedback/:id',
    summary: 'Operator: one item with its thread',
    tags: op,
    auth: 'operator',
    params: idParams,
    response: feedbackDetail,
    handler: ({ params }) => feedback.operatorRead(params.id),
  });
  api.route({
    method: 'post',
    path: '/api/operator/feedback/:id/messages',
    summary: 'Operator: reply; the submitter is notified in the console (FEEDBACK-THREAD-4)',
    tags: op,
    auth: 'operator',
    params: idParams,
    body: messageBody,
    response: feedbackDetail,
    handler: ({ params, body }) => feedback.reply({ kind: 'operator' }, params.id, body.content),
  });
  api.route({
    method: 'put',
    path: '/api/operator/feedback/:id/state',
    summary: 'Operator: set an item’s state',
    tags: op,
    auth: 'operator',
    params: idParams,
    body: stateBody,
    response: feedbackDetail,
    handler: ({ params, body }) => feedback.setState(params.id, body.state),
  });
}
