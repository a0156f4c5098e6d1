import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { idParams } from '../accounts/agent-schemas.ts';
import { CronSupervisor } from '../plugins/cron-supervisor.ts';
import { NoticeService } from './notice-service.ts';
import { listNoticesQuery, managedNoticeView, myNoticeView, noticeBody, noticeRecipients, receiptsQuery, receiptsView } from './notice-schemas.ts';

/**
 * Notices to agents (SPEC NOTICE). Live pushes on `/agent`: `notice {notice}`
 * to each online recipient at the start, `notice.read {noticeId, readAt}` to
 * the reader's tabs, `notice.withdrawn {noticeId}` to the company.
 */
export function registerNoticeRoutes(api: ApiRouter, c: DependencyContainer) {
  const notices = c.resolve(NoticeService);
  const tags = ['notices'];
  const permission = 'notice.publish';

  api.route({
    method: 'post',
    path: '/api/notices',
    summary: 'Publish a notice (NOTICE-COMPOSE-1, NOTICE-RECIPIENTS-2)',
    tags,
    auth: 'agent',
    permission,
    status: 201,
    body: noticeBody,
    response: managedNoticeView,
    handler: ({ body, auth }) => notices.publish(auth, body),
  });
  api.route({
    method: 'post',
    path: '/api/notices/recipients/count',
    summary: 'How many agents these recipients resolve to now (NOTICE-COMPOSE-1)',
    tags,
    auth: 'agent',
    permission,
    body: noticeRecipients,
    response: z.object({ count: z.number() }),
    handler: async ({ body, auth }) => ({ count: await notices.countRecipients(auth.tenant, body) }),
  });
  api.route({
    method: 'get',
    path: '/api/notices',
    summary: 'My notices with read state (NOTICE-DELIVER-3, NOTICE-LIST-6)',
    tags,
    auth: 'agent',
    query: listNoticesQuery,
    response: z.object({ items: z.array(myNoticeView), unread: z.number() }),
    handler: ({ query, auth }) => notices.mine(auth, query.scope),
  });
  api.route({
    method: 'post',
    path: '/api/notices/:id/read',
    summary: 'Mark a notice read (NOTICE-READ-5)',
    tags,
    auth: 'agent',
    params: idParams,
    response: z.object({ readAt: z.string() }),
    handler: ({ params, auth }) => notices.markRead(auth, params.id),
  });
  api.route({
    method: 'get',
    path: '/api/notices/:id/receipts',
    summary: 'Read receipts, for the publisher and admins (NOTICE-READ-5)',
    tags,
    auth: 'agent',
    params: idParams,
    query: receiptsQuery,
    response: receiptsView,
    handler: ({ params, query, auth }) => notices.receipts(auth, params.id, query.state),
  });
  api.route({
    method: 'post',
    path: '/api/notices/:id/withdraw',
    summary: 'Withdraw a notice (NOTICE-MANAGE-7)',
    tags,
    auth: 'agent',
    permission,
    params: idParams,
    response: managedNoticeView,
    handler: ({ params, auth }) => notices.withdraw(auth, params.id),
  });
}

/**
 * Scheduled notices are delivered from their stored start by `core:notices`, once across nodes (NOTICE-DELIVER-3);
 * `core:notices-purge` deletes them a year after their end, once a day (NOTICE-LIMITS-8).
 */
export function registerNoticeJobs(c: DependencyContainer) {
  const notices = c.resolve(NoticeService);
  c.resolve(CronSupervisor).schedule('core', 'notices', '*/5 * * * * *', async () => void (await notices.deliverDue()));
  c.resolve(CronSupervisor).schedule('core', 'notices-purge', '0 17 3 * * *', async () => void (await notices.purgeExpired()));
}
