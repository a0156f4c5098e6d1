import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS } from '../tokens.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { notFound } from '../http/errors.ts';
import { sha256 } from '../infra/crypto.ts';
import { CronSupervisor } from '../plugins/cron-supervisor.ts';
import type { VisitorCaller } from '../conversations/visitor-event-handlers.ts';
import { consumeOr429 } from './limits.ts';
import { LeaveMessageService } from './leave-message-service.ts';
import { MailOutbox } from './mail-outbox.ts';
import { MailSettingsService, mailSettingsBody, mailSettingsView } from './mail-settings-service.ts';

const leaveMessage = z.object({
  id: z.number(),
  visitorId: z.number().nullable(),
  channel: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  content: z.string(),
  fields: z.record(z.string(), z.string()),
  status: z.enum(['unreplied', 'replied']),
  type: z.string().nullable(),
  note: z.string().nullable(),
  handlerId: z.number().nullable(),
  groupId: z.number().nullable(),
  language: z.string().nullable(),
  ip: z.string().nullable(),
  pageUrl: z.string().nullable(),
  version: z.number(),
  createdAt: z.string(),
  repliedAt: z.string().nullable(),
});

/** What the widget sends (socket `leavemsg.submit` or the REST fallback). */
export const leaveMessageSubmit = z.strictObject({
  fields: z.record(z.string().max(40), z.union([z.string().max(4000), z.number()])).refine((f) => Object.keys(f).length <= 40, 'Too many fields'),
  clientId: z.string().min(1).max(64).optional(),
  language: z.enum(['zh-CN', 'zh-TW', 'en', 'ja', 'ko']).optional(),
  pageUrl: z.string().max(2048).optional(),
  groupId: z.number().int().positive().nullable().optional(),
});

const idParams = z.object({ id: z.coerce.number().int().positive() });

/** Leave-messages (LEAVEMSG §4.2, LEAVESET §7.2): agent list/detail/handling, the public form, the mail server settings. */
export function registerLeaveMessageRoutes(api: ApiRouter, c: DependencyContainer) {
  const service = c.resolve(LeaveMessageService);
  const mail = c.resolve(MailSettingsService);
  const db = c.resolve<Db>(TOKENS.Db);
  const tags = ['leave-messages'];

  api.route({
    method: 'get',
    path: '/api/leave-messages',
    summary: 'Leave-messages the agent may see, newest first, with the unreplied count (LEAVEMSG-LIST-1, LEAVEMSG-FILTER-2, LEAVEMSG-VISIBILITY-3)',
    tags,
    auth: 'agent',
    query: z.object({
      status: z.enum(['unreplied', 'replied']).optional(),
      from: z.coerce.date().optional(),
      to: z.coerce.date().optional(),
      page: z.coerce.number().int().min(1).default(1),
      pageSize: z.coerce.number().int().min(1).max(100).default(20),
    }),
    response: z.object({ items: z.array(leaveMessage), total: z.number(), unreplied: z.number(), page: z.number(), pageSize: z.number() }),
    handler: ({ query, auth }) => service.list(auth, query),
  });
  api.route({
    method: 'get',
    path: '/api/leave-messages/:id',
    summary: 'Leave-message detail (LEAVEMSG-DETAIL-4)',
    tags,
    auth: 'agent',
    params: idParams,
    response: leaveMessage,
    handler: ({ params, auth }) => service.get(auth, params.id),
  });
  api.route({
    method: 'patch',
    path: '/api/leave-messages/:id',
    summary: 'Set status, type or note (LEAVEMSG-STATUS-5, LEAVEMSG-TYPE-6); a stale version → 409 leavemsg_changed',
    tags,
    auth: 'agent',
    permission: 'leavemsg.handle',
    params: idParams,
    body: z.strictObject({
      status: z.enum(['unreplied', 'replied']).optional(),
      type: z.string().trim().min(1).max(20).nullable().optional(),
      note: z.string().trim().max(1000).nullable().optional(),
      version: z.number().int().optional(),
    }),
    response: leaveMessage,
    handler: ({ params, body, auth }) => service.update(auth, params.id, body),
  });
  api.route({
    method: 'post',
    path: '/api/widget/leave-message',
    summary: 'Leave a message without a socket (LEAVESET-STORE-9); optional `X-Kefu-Visitor` token header; rate limited per address',
    tags: ['widget'],
    auth: 'public',
    status: 201,
    body: leaveMessageSubmit.extend({ companyId: z.number().int().positive() }),
    response: z.object({ leaveMessage: z.object({ id: z.number(), createdAt: z.string() }) }),
    handler: async ({ body, ctx }) => {
      const company = await db('companies').where({ public_id: body.companyId, status: 'active' }).first('id');
      if (!company) throw notFound('Unknown company');
      const companyId = Number(company.id);
      const ip = String(ctx.state.ip ?? ctx.ip);
      await consumeOr429(service.perIp, `${companyId}:${ip}`);
      const token = ctx.get('x-kefu-visitor');
      const visitor =
        token && token.length <= 100
          ? await db('visitors')
              .where({ company_id: companyId, token_hash: sha256(token) })
              .first('id')
          : null;
      const { companyId: _p, ...input } = body;
      const m = await service.submit(companyId, input, { visitorId: visitor ? Number(visitor.id) : null, ip });
      return { leaveMessage: { id: m.id, createdAt: m.createdAt } };
    },
  });
  api.route({
    method: 'get',
    path: '/api/settings/mail',
    summary: 'Mail server and e-mail forwarding of leave-messages (LEAVESET-SMTP-3, LEAVESET-EMAIL-2); the password reads back as •••• + last 4',
    tags: ['settings'],
    auth: 'agent',
    permission: 'settings.manage',
    response: mailSettingsView,
    handler: ({ auth }) => mail.get(auth.tenant),
  });
  api.route({
    method: 'put',
    path: '/api/settings/mail',
    summary: 'Save the mail settings; omit smtp.password to keep the stored one; stale version → 409 settings_changed',
    tags: ['settings'],
    auth: 'agent',
    permission: 'settings.manage',
    body: mailSettingsBody,
    response: mailSettingsView,
    handler: ({ body, auth }) => mail.put(auth, body),
  });
}

/** `core:mail-outbox`: every 10 s one node sends the mail that is due. */
export function registerMailJobs(c: DependencyContainer) {
  const outbox = c.resolve(MailOutbox);
  c.resolve(CronSupervisor).schedule('core', 'mail-outbox', '*/10 * * * * *', async () => {
    await outbox.drain();
  });
}

type VisitorHandler = { spec: { schema: any; handler: (p: any, caller: VisitorCaller) => Promise<unknown> } };

/** `/visitor` event `leavemsg.submit`, merged into the visitor handler map in server.ts. */
export function leaveMessageVisitorHandlers(c: DependencyContainer): Map<string, VisitorHandler> {
  const service = c.resolve(LeaveMessageService);
  return new Map<string, VisitorHandler>([
    [
      'leavemsg.submit',
      {
        spec: {
          schema: leaveMessageSubmit,
          handler: async (p, { visitor, ip }) => {
            const m = await service.submit(visitor.companyId, p, { visitorId: visitor.id, ip, channel: visitor.channel });
            return { leaveMessage: { id: m.id, createdAt: m.createdAt } };
          },
        },
      },
    ],
  ]);
}
