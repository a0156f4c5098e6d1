import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS } from '../tokens.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { parseOr400 } from '../http/validate.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { notFound } from '../http/errors.ts';
import { sha256 } from '../infra/crypto.ts';
import { CronSupervisor } from '../plugins/cron-supervisor.ts';
import type { VisitorCaller } from '../conversations/visitor-event-handlers.ts';
import { iconKeySchema } from '../protocol/visitor-events.ts';
import { consumeOr429 } from './limits.ts';
import { LeaveMessageExport } from './leave-message-export.ts';
import { ExportJobs } from '../exports/export-jobs.ts';
import { exportJobStarted } from '../exports/export-schemas.ts';
import { checkLeaveFilters, leaveMessageFilters } from './leave-message-query.ts';
import { LeaveMessageReplies, emailReplyBody } from './leave-message-replies.ts';
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
  handlerName: z.string().nullable(),
  groupId: z.number().nullable(),
  groupName: z.string().nullable(),
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
  /** LEAVEMSG-ASSIGN-7: the page's icon and, for a group icon, the agent entry picked; that agent becomes the handler. */
  iconKey: iconKeySchema.optional(),
  agentId: z.number().int().positive().optional(),
});

const leaveMessageDetail = leaveMessage.extend({
  replies: z.array(
    z.object({
      id: z.number(),
      channel: z.string(),
      to: z.string(),
      subject: z.string().nullable(),
      body: z.string(),
      agentId: z.number().nullable(),
      agentName: z.string().nullable(),
      createdAt: z.string(),
      state: z.enum(['sending', 'sent', 'failed']),
    }),
  ),
  changes: z.array(
    z.object({
      field: z.string(),
      oldValue: z.string().nullable(),
      newValue: z.string().nullable(),
      agentId: z.number().nullable(),
      agentName: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
  replying: z.object({ agentId: z.number(), nickname: z.string() }).nullable().describe('Another agent with the reply composer open (LEAVEMSG-LOCK-11)'),
});

/** Server → agent pushes of this feature (LEAVEMSG-LIVE-16, LEAVEMSG-ASSIGN-7, LEAVEMSG-EMAIL-8, LEAVEMSG-LOCK-11). */
export const leaveMessageAgentServerEvents = {
  'leaveMessages.changed': {
    summary:
      'Leave-messages were created, changed, deleted or someone started replying (room `company:<id>`); consoles reload their counts and lists, `handlerId` is the agent just made handler',
    payload: z.object({
      ids: z.array(z.number()),
      change: z.enum(['created', 'updated', 'deleted', 'replying']),
      by: z.number().nullable(),
      handlerId: z.number().optional(),
    }),
  },
  'leaveMessages.replyFailed': {
    summary: 'An e-mail reply of this agent finally failed; the leave-message is 未回复 again if the reply had set 已回复 (room `agent:<id>`)',
    payload: z.object({ id: z.number(), replyId: z.number(), error: z.string() }),
  },
};

const idParams = z.object({ id: z.coerce.number().int().positive() });
const ids = z.array(z.number().int().positive()).min(1).max(500);

/** Leave-messages (LEAVEMSG §4.2, LEAVESET §7.2): agent list/detail/handling, the public form, the mail server settings. */
export function registerLeaveMessageRoutes(api: ApiRouter, c: DependencyContainer) {
  const service = c.resolve(LeaveMessageService);
  const replies = c.resolve(LeaveMessageReplies);
  const exporter = c.resolve(LeaveMessageExport);
  const jobs = c.resolve(ExportJobs);
  const exportQuery = leaveMessageFilters.extend({ format: z.enum(['csv', 'xlsx']) }).superRefine(checkLeaveFilters);
  const planExport = (auth: AuthInfo, { format, ...filters }: z.output<typeof exportQuery>) => exporter.plan(auth, filters, format);
  jobs.register('leavemsg', { permission: 'leavemsg.export', plan: (auth, params) => planExport(auth, parseOr400(exportQuery, params, 'query')) });
  const mail = c.resolve(MailSettingsService);
  const db = c.resolve<Db>(TOKENS.Db);
  const tags = ['leave-messages'];

  api.route({
    method: 'get',
    path: '/api/leave-messages',
    summary:
      'Leave-messages the agent may see, newest first, with the unreplied count (LEAVEMSG-LIST-1, LEAVEMSG-FILTER-2, LEAVEMSG-VISIBILITY-3); default the last 30 days, at most 366',
    tags,
    auth: 'agent',
    query: leaveMessageFilters
      .extend({
        page: z.coerce.number().int().min(1).default(1),
        pageSize: z.coerce.number().int().min(1).max(100).default(20),
      })
      .superRefine(checkLeaveFilters),
    response: z.object({ items: z.array(leaveMessage), total: z.number(), unreplied: z.number(), page: z.number(), pageSize: z.number() }),
    handler: ({ query, auth }) => service.list(auth, query),
  });
  api.route({
    method: 'get',
    path: '/api/leave-messages/unreplied',
    summary: 'The number of unreplied leave-messages the agent may see, for the menu (LEAVEMSG-LIST-1, MENU-BADGES-2)',
    tags,
    auth: 'agent',
    response: z.object({ unreplied: z.number() }),
    handler: async ({ auth }) => ({ unreplied: await service.unreplied(auth) }),
  });
  api.route({
    method: 'get',
    path: '/api/leave-messages/options',
    summary: 'What the screen offers: the types (LEAVESET-TYPES-6), the groups, and the enabled agents a handler can be (LEAVEMSG-ASSIGN-7)',
    tags,
    auth: 'agent',
    response: z.object({
      types: z.array(z.string()),
      groups: z.array(z.object({ id: z.number(), name: z.string() })),
      handlers: z.array(z.object({ id: z.number(), nickname: z.string() })),
    }),
    handler: ({ auth }) => service.options(auth),
  });
  api.route({
    method: 'get',
    path: '/api/leave-messages/export',
    summary:
      'Export the visible leave-messages a search finds (or the selected `ids`) as CSV or XLSX, formula-safe (LEAVEMSG-EXPORT-13): up to 1,000 rows streamed, more start a background job answered as `{ job }` JSON (HISTORY-EXPORTJOB-11)',
    tags,
    auth: 'agent',
    permission: 'leavemsg.export',
    query: exportQuery,
    response: exportJobStarted,
    handler: async ({ query, auth, ctx }) => jobs.deliver(ctx, auth, 'leavemsg', await planExport(auth, query)),
  });
  api.route({
    method: 'post',
    path: '/api/leave-messages/bulk',
    summary:
      'Set status, type or handler (leavemsg.handle) or delete (leavemsg.delete) up to 500 visible leave-messages; answers each one’s result (LEAVEMSG-BULK-12, LEAVEMSG-DELETE-14)',
    tags,
    auth: 'agent',
    body: z.discriminatedUnion('action', [
      z.strictObject({ ids, action: z.literal('status'), status: z.enum(['unreplied', 'replied']) }),
      z.strictObject({ ids, action: z.literal('type'), type: z.string().trim().min(1).max(20).nullable() }),
      z.strictObject({ ids, action: z.literal('handler'), handlerId: z.number().int().positive().nullable() }),
      z.strictObject({ ids, action: z.literal('delete') }),
    ]),
    response: z.object({ results: z.array(z.object({ id: z.number(), ok: z.boolean(), error: z.string().optional() })) }),
    handler: ({ body, auth }) => {
      const { ids: list, ...action } = body;
      return service.bulk(auth, [...new Set(list)], action);
    },
  });
  api.route({
    method: 'get',
    path: '/api/leave-messages/:id',
    summary: 'Leave-message detail with replies, change log and who is replying (LEAVEMSG-DETAIL-4)',
    tags,
    auth: 'agent',
    params: idParams,
    response: leaveMessageDetail,
    handler: ({ params, auth }) => service.detail(auth, params.id),
  });
  api.route({
    method: 'patch',
    path: '/api/leave-messages/:id',
    summary: 'Set status, type, note or handler (LEAVEMSG-STATUS-5, LEAVEMSG-TYPE-6, LEAVEMSG-ASSIGN-7); a stale version → 409 leavemsg_changed',
    tags,
    auth: 'agent',
    permission: 'leavemsg.handle',
    params: idParams,
    body: z.strictObject({
      status: z.enum(['unreplied', 'replied']).optional(),
      type: z.string().trim().min(1).max(20).nullable().optional(),
      note: z.string().trim().max(1000).nullable().optional(),
      /** Any enabled agent of the company, or null for 未分配; the caller's own id is 我来处理. */
      handlerId: z.number().int().positive().nullable().optional(),
      version: z.number().int().optional(),
    }),
    response: leaveMessage,
    handler: ({ params, body, auth }) => service.update(auth, params.id, body),
  });
  api.route({
    method: 'post',
    path: '/api/leave-messages/:id/replying',
    summary: 'Say the reply composer is open (`active: true`, lapses after 5 minutes) or closed (LEAVEMSG-LOCK-11)',
    tags,
    auth: 'agent',
    permission: 'leavemsg.handle',
    params: idParams,
    body: z.strictObject({ active: z.boolean() }),
    status: 204,
    handler: async ({ params, body, auth }) => {
      await replies.replying(auth, params.id, body.active);
    },
  });
  api.route({
    method: 'post',
    path: '/api/leave-messages/:id/replies',
    summary:
      'Reply by e-mail through the company mail server; sets 已回复 (LEAVEMSG-EMAIL-8). 409 no_email_address, smtp_not_configured, and without `confirm` leavemsg_reply_in_progress or leavemsg_already_replied (LEAVEMSG-LOCK-11)',
    tags,
    auth: 'agent',
    permission: 'leavemsg.handle',
    params: idParams,
    status: 201,
    body: emailReplyBody,
    response: z.object({ replyId: z.number(), leaveMessage }),
    handler: ({ params, body, auth }) => replies.sendEmail(auth, params.id, body),
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
    method: 'post',
    path: '/api/settings/leave-message/types/replace',
    summary: 'Move every leave-message of type `from` to `to` (a current type) or to 未设置 (null), before `from` is deleted (LEAVESET-TYPES-6)',
    tags: ['settings'],
    auth: 'agent',
    permission: 'settings.manage',
    body: z.strictObject({ from: z.string().trim().min(1).max(20), to: z.string().trim().min(1).max(20).nullable() }),
    response: z.object({ moved: z.number() }),
    handler: async ({ body, auth }) => ({ moved: await service.replaceType(auth, body.from, body.to) }),
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
