import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { notFound } from '../http/errors.ts';
import { SessionService } from '../auth/session-service.ts';
import { idParams } from './agent-schemas.ts';
import { ProfileService, profileBody, passwordChangeBody } from './profile-service.ts';

export function registerProfileRoutes(api: ApiRouter, c: DependencyContainer) {
  const profile = c.resolve(ProfileService);
  const sessions = c.resolve(SessionService);
  const tags = ['profile'];
  api.route({
    method: 'get',
    path: '/api/profile',
    summary: 'My personal information (PROFILE-VIEW-1)',
    tags,
    auth: 'agent',
    handler: ({ auth }) => profile.view(auth),
  });
  api.route({
    method: 'patch',
    path: '/api/profile',
    summary: 'Edit my nickname and contacts (PROFILE-EDIT-2)',
    tags,
    auth: 'agent',
    permission: 'profile.edit',
    body: profileBody,
    handler: ({ body, auth }) => profile.update(auth, body),
  });
  api.route({
    method: 'post',
    path: '/api/profile/password',
    summary: 'Change my password (PROFILE-PASSWORD-3)',
    tags,
    auth: 'agent',
    body: passwordChangeBody,
    handler: async ({ body, auth, ctx }) => profile.changePassword(auth, body, ctx.state.ip),
  });
  api.route({
    method: 'get',
    path: '/api/profile/sessions',
    summary: 'My active sessions (PROFILE-SESSIONS-5)',
    tags,
    auth: 'agent',
    response: z.object({
      items: z.array(
        z.object({
          id: z.number(),
          current: z.boolean(),
          kind: z.string(),
          method: z.string().nullable().describe('app, web, mobile or api (LOGINLOG-METHOD-3)'),
          ip: z.string().nullable(),
          userAgent: z.string().nullable(),
          createdAt: z.string(),
          lastActiveAt: z.string(),
        }),
      ),
    }),
    handler: async ({ auth }) => ({
      items: (await sessions.listForAgent(auth.tenant, auth.agent.id)).map((s) => ({ ...s, current: s.id === auth.sessionId })),
    }),
  });
  api.route({
    method: 'post',
    path: '/api/profile/sessions/:id/end',
    summary: 'End one of my sessions',
    tags,
    auth: 'agent',
    params: idParams,
    handler: async ({ params, auth }) => {
      // Someone else's session (or an ended one) is not the caller's to see: 404, never a silent success.
      if (!(await sessions.end(auth.companyId, { sessionId: params.id, agentId: auth.agent.id }, 'ended_by_self'))) throw notFound('Session not found');
    },
  });
  api.route({
    method: 'post',
    path: '/api/profile/sessions/end-others',
    summary: 'Sign out all my other devices',
    tags,
    auth: 'agent',
    response: z.object({ ended: z.number() }),
    handler: async ({ auth }) => ({ ended: await sessions.end(auth.companyId, { agentId: auth.agent.id, exceptSessionId: auth.sessionId }, 'ended_by_self') }),
  });
}
