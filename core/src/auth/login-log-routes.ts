import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { LoginIpService } from './login-ip-service.ts';
import { LoginLogService } from './login-log-service.ts';

const pageSize = z.coerce
  .number()
  .int()
  .refine((n) => [20, 50, 100].includes(n), 'One of 20, 50, 100')
  .default(20);

export function registerLoginLogRoutes(api: ApiRouter, c: DependencyContainer) {
  const log = c.resolve(LoginLogService);
  const loginIp = c.resolve(LoginIpService);
  api.route({
    method: 'get',
    path: '/api/login-log',
    summary: 'The company login log (LOGINLOG-LIST-5)',
    tags: ['login-log'],
    auth: 'agent',
    permission: 'loginlog.view',
    query: z.strictObject({
      page: z.coerce.number().int().min(1).default(1),
      pageSize,
      agentId: z.coerce.number().int().positive().optional(),
      result: z.enum(['success', 'failure', 'event']).optional(),
      from: z.coerce.date().optional(),
      to: z.coerce.date().optional(),
    }),
    handler: ({ query, auth }) => log.list(auth.tenant, query),
  });
  api.route({
    method: 'get',
    path: '/api/profile/login-log',
    summary: 'My own login entries of the last 30 days (LOGINLOG-SCOPE-6)',
    tags: ['login-log'],
    auth: 'agent',
    query: z.strictObject({ page: z.coerce.number().int().min(1).default(1), pageSize }),
    handler: ({ query, auth }) => log.list(auth.tenant, { ...query, agentId: auth.agent.id, from: new Date(Date.now() - 30 * 86400_000) }),
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
