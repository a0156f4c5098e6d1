import type { Context } from 'koa';
import { TOKENS } from '../tokens.ts';
import type { Db } from '../infra/db.ts';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { SESSION_COOKIE } from './authenticator.ts';
import { loginBody, loginOptionsQuery, loginOptionsResponse, loginResponse, meResponse, verifyBody } from './auth-schemas.ts';
import { LoginService, type LoginSuccess } from './login-service.ts';
import { MeService } from './me-service.ts';
import { registerNetworkCheckRoutes } from './network-check.ts';
import { registerPasswordResetRoutes } from './password-reset.ts';
import { SessionService } from './session-service.ts';
import { settingsDocumentRoutes } from '../http/settings-document-routes.ts';
import { workbenchSettingsSchema, WorkbenchSettingsService } from './workbench-settings.ts';

export function registerAuthRoutes(api: ApiRouter, c: DependencyContainer) {
  const login = c.resolve(LoginService);
  const me = c.resolve(MeService);
  const sessions = c.resolve(SessionService);
  registerPasswordResetRoutes(api, c);
  registerNetworkCheckRoutes(api, c);
  settingsDocumentRoutes(api, {
    path: '/api/settings/workbench',
    what: '工作台与登录: several logins of one agent ID, idle sign-out, automatic login lifetime, first-login password change (MAIN-SETTINGS-10)',
    schema: workbenchSettingsSchema,
    service: c.resolve(WorkbenchSettingsService),
  });

  const answer = async (ctx: Context, s: LoginSuccess) => {
    if (s.kind === 'console')
      ctx.cookies.set(SESSION_COOKIE, s.token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: ctx.secure,
        overwrite: true,
        // Without "remember me" the cookie lasts as long as the browser session.
        ...(s.remember ? { expires: s.expiresAt } : {}),
      });
    const d = await me.describe(s.companyId, s.agentPk);
    return { agent: d.agent, company: d.company, mustChangePassword: d.mustChangePassword, ...(s.kind === 'api' ? { token: s.token } : {}) };
  };
  const reqInfo = (ctx: Context) => ({ ip: ctx.state.ip as string, userAgent: ctx.get('user-agent') });

  api.route({
    method: 'post',
    path: '/api/auth/login',
    summary: 'Sign in with company ID, agent ID and password (LOGIN-VERIFY-3)',
    tags: ['auth'],
    auth: 'public',
    body: loginBody,
    response: loginResponse,
    handler: async ({ body, ctx }) => answer(ctx, await login.login(body, reqInfo(ctx))),
  });

  const db = c.resolve<Db>(TOKENS.Db);
  const workbench = c.resolve(WorkbenchSettingsService);
  api.route({
    method: 'get',
    path: '/api/auth/login-options',
    summary: 'What the login form offers for a company ID: the 自动登录 box is hidden when its lifetime is 0 days (LOGIN-AUTOLOGIN-10)',
    tags: ['auth'],
    auth: 'public',
    query: loginOptionsQuery,
    response: loginOptionsResponse,
    handler: async ({ query }) => {
      const company = await db('companies')
        .where({ public_id: Number(query.companyId) })
        .first('id');
      return { autoLogin: !company || (await workbench.read(Number(company.id))).autoLoginDays > 0 };
    },
  });

  api.route({
    method: 'post',
    path: '/api/auth/login/verify',
    summary: 'Complete a sign-in step a plugin asked for (e.g. the dynamic password)',
    tags: ['auth'],
    auth: 'public',
    body: verifyBody,
    response: loginResponse,
    handler: async ({ body, ctx }) => answer(ctx, await login.verify(body.challengeId, body.code, reqInfo(ctx))),
  });

  api.route({
    method: 'post',
    path: '/api/auth/logout',
    summary: 'Sign out: ends this session everywhere',
    tags: ['auth'],
    auth: 'agent',
    allowRestricted: true,
    handler: async ({ auth, ctx }) => {
      await sessions.end(auth.companyId, { sessionId: auth.sessionId }, 'signed_out');
      ctx.cookies.set(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', expires: new Date(0) });
      return undefined;
    },
  });

  api.route({
    method: 'get',
    path: '/api/auth/me',
    summary: 'The signed-in agent, company and enabled plugins',
    tags: ['auth'],
    auth: 'agent',
    allowRestricted: true,
    response: meResponse,
    handler: async ({ auth }) => {
      const d = await me.describe(auth.companyId, auth.agent.id);
      return { agent: d.agent, company: d.company, plugins: d.plugins, restriction: auth.restriction };
    },
  });
}
