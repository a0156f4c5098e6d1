import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { LoginIpService } from './login-ip-service.ts';
import { CronSupervisor } from '../plugins/cron-supervisor.ts';
import { LoginLogService, RETENTION_DAYS, isIpOrCidr } from './login-log-service.ts';
import { AgentService } from '../accounts/agent-service.ts';
import { idParams } from '../accounts/agent-schemas.ts';

const pageSize = z.coerce
  .number()
  .int()
  .refine((n) => [20, 50, 100].includes(n), 'One of 20, 50, 100')
  .default(20);

const custom = (ctx: z.RefinementCtx, path: string, code: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], params: { code }, message });
/** A repeated query parameter arrives as an array, a single one as a string. */
const list = <T extends z.ZodType>(item: T) => z.preprocess((v) => (v === undefined || Array.isArray(v) ? v : [v]), z.array(item).max(50));

/** LOGINLOG-LIST-5 filters, shared by the list and the export. */
const filters = z.strictObject({
  agentId: list(z.coerce.number().int().positive()).optional(),
  groupId: z.coerce.number().int().positive().optional(),
  result: z.enum(['success', 'failure', 'event']).optional(),
  method: z.string().trim().min(1).max(40).optional(),
  reason: z.string().trim().min(1).max(60).optional(),
  ip: z
    .string()
    .trim()
    .max(60)
    .refine(isIpOrCidr, { message: 'An IP address or a CIDR range such as 203.0.113.0/24', params: { code: 'invalid_ip' } })
    .optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});

function checkRange(f: { from?: Date; to?: Date }, ctx: z.RefinementCtx) {
  const to = f.to?.getTime() ?? Date.now();
  if (f.from && f.from.getTime() > to) custom(ctx, 'from', 'range_reversed', 'The range starts after it ends');
  else if (f.from && to - f.from.getTime() > 366 * 86_400_000) custom(ctx, 'from', 'range_too_long', 'At most 366 days');
}

const logEntry = z.object({
  id: z.number(),
  time: z.string(),
  agentId: z.string().nullable(),
  agentName: z.string().nullable(),
  type: z.string(),
  result: z.string(),
  reason: z.string().nullable(),
  method: z.string().nullable(),
  factor: z.string().nullable(),
  ip: z.string().nullable(),
  browser: z.string().nullable(),
  os: z.string().nullable(),
  summary: z.string().nullable(),
  logoutAt: z.string().nullable(),
  logoutReason: z.string().nullable(),
  durationSeconds: z.number().nullable(),
  online: z.boolean(),
  /** The viewer may end this row's session (LOGINLOG-FORCE-7, AGENT-SESSIONS-20). */
  mayEnd: z.boolean(),
});

/** `core:loginlog-retention`: once a night, on one node, entries past each company's retention go (LOGINLOG-RETENTION-9). */
export function registerLoginLogJobs(c: DependencyContainer) {
  const log = c.resolve(LoginLogService);
  c.resolve(CronSupervisor).schedule('core', 'loginlog-retention', '17 3 * * *', async () => {
    await log.purge();
  });
}

export function registerLoginLogRoutes(api: ApiRouter, c: DependencyContainer) {
  const log = c.resolve(LoginLogService);
  const loginIp = c.resolve(LoginIpService);
  const agents = c.resolve(AgentService);
  api.route({
    method: 'get',
    path: '/api/login-log',
    summary: 'The company login log, newest first; default the last 7 days, at most 366 (LOGINLOG-LIST-5); repeat agentId for several agents',
    tags: ['login-log'],
    auth: 'agent',
    permission: 'loginlog.view',
    query: filters.extend({ page: z.coerce.number().int().min(1).default(1), pageSize }).superRefine(checkRange),
    response: z.object({ total: z.number(), items: z.array(logEntry) }),
    handler: ({ query, auth }) => log.list(auth.tenant, query, auth),
  });
  api.route({
    method: 'post',
    path: '/api/login-log/:id/sign-out',
    summary: '强制下线 the session of a row still online; the row then shows 被管理员下线 on every open screen (LOGINLOG-FORCE-7, AGENT-SESSIONS-20)',
    tags: ['login-log'],
    auth: 'agent',
    permission: 'agents.manage',
    params: idParams,
    response: z.object({ ended: z.number() }),
    handler: ({ params, auth }) => agents.endLoggedSession(auth, params.id),
  });
  api.route({
    method: 'get',
    path: '/api/login-log/export',
    summary: 'The filtered login log as CSV or XLSX, streamed and formula-safe; audited with filters and count (LOGINLOG-EXPORT-8)',
    tags: ['login-log'],
    auth: 'agent',
    permission: 'loginlog.view',
    query: filters.extend({ format: z.enum(['csv', 'xlsx']) }).superRefine(checkRange),
    handler: async ({ query, auth, ctx }) => {
      const { format, ...f } = query;
      const file = await log.export(auth.tenant, auth.agent, f, format);
      ctx.set('Content-Disposition', `attachment; filename="${file.filename}"`);
      ctx.type = format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      return file.body;
    },
  });
  api.route({
    method: 'get',
    path: '/api/profile/login-log',
    summary: 'My own login entries of the last 30 days (LOGINLOG-SCOPE-6)',
    tags: ['login-log'],
    auth: 'agent',
    query: z.strictObject({ page: z.coerce.number().int().min(1).default(1), pageSize }),
    response: z.object({ total: z.number(), items: z.array(logEntry) }),
    handler: ({ query, auth }) => log.list(auth.tenant, { ...query, agentId: [auth.agent.id], from: new Date(Date.now() - 30 * 86400_000) }),
  });
  const retention = z.object({ retentionDays: z.number() });
  api.route({
    method: 'get',
    path: '/api/settings/login-log',
    summary: 'How many days login-log entries are kept (LOGINLOG-RETENTION-9)',
    tags: ['settings'],
    auth: 'agent',
    permission: 'settings.manage',
    response: retention,
    handler: ({ auth }) => log.retention(auth.tenant),
  });
  api.route({
    method: 'put',
    path: '/api/settings/login-log',
    summary: `Keep login-log entries ${RETENTION_DAYS.min}–${RETENTION_DAYS.max} days (LOGINLOG-RETENTION-9); older ones are deleted nightly`,
    tags: ['settings'],
    auth: 'agent',
    permission: 'settings.manage',
    body: z.strictObject({ retentionDays: z.number().int().min(RETENTION_DAYS.min).max(RETENTION_DAYS.max) }),
    response: retention,
    handler: ({ body, auth }) => log.setRetention(auth.tenant, auth.agent.id, body.retentionDays),
  });

  const entry = z.strictObject({ cidr: z.string().trim().min(1).max(60), note: z.string().trim().max(50).nullable().optional() });
  const view = z.object({
    enabled: z.boolean(),
    entries: z.array(z.object({ cidr: z.string(), note: z.string().nullable(), addedBy: z.number().nullable(), addedAt: z.string() })),
    yourIp: z.string(),
  });
  api.route({
    method: 'get',
    path: '/api/settings/login-ip',
    summary: 'Login IP allow-list (LOGINIP-LIST-1)',
    tags: ['settings'],
    auth: 'agent',
    permission: 'settings.loginIp',
    response: view,
    handler: async ({ auth, ctx }) => ({ ...(await loginIp.get(auth.tenant)), yourIp: ctx.state.ip }),
  });
  api.route({
    method: 'put',
    path: '/api/settings/login-ip',
    summary: 'Save the login IP allow-list (LOGINIP-LOCKOUT-3)',
    tags: ['settings'],
    auth: 'agent',
    permission: 'settings.loginIp',
    body: z.strictObject({ enabled: z.boolean(), entries: z.array(entry).max(200), confirmLockout: z.boolean().optional() }),
    response: view,
    handler: async ({ body, auth, ctx }) => ({
      ...(await loginIp.save(auth.tenant, { agentId: auth.agent.id, sessionId: auth.sessionId, ip: ctx.state.ip }, body)),
      yourIp: ctx.state.ip,
    }),
  });
}
