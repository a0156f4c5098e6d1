import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { AgentDetailService, agentDetailView } from './agent-detail.ts';
import { AgentService } from './agent-service.ts';
import { agentRow, createAgentBody, deleteAgentQuery, idParams, listAgentsQuery, passwordBody, updateAgentBody } from './agent-schemas.ts';
import { PermissionCatalog } from './permission-catalog.ts';
import { registerTemplateRoutes } from './template-routes.ts';
import { registerForcedAway } from '../presence/forced-away.ts';

export function registerAgentRoutes(api: ApiRouter, c: DependencyContainer) {
  const agents = c.resolve(AgentService);
  const catalog = c.resolve(PermissionCatalog);
  const tags = ['agents'];
  const permission = 'agents.manage';
  registerTemplateRoutes(api, c);
  registerForcedAway(api, c);

  api.route({
    method: 'get',
    path: '/api/agents',
    summary: 'List agents (AGENT-LIST-1)',
    tags,
    auth: 'agent',
    permission,
    query: listAgentsQuery,
    response: z.object({ items: z.array(agentRow), total: z.number() }),
    handler: ({ query, auth }) => agents.list(auth.tenant, query),
  });
  api.route({
    method: 'post',
    path: '/api/agents',
    summary: 'Add an agent (AGENT-ADD-4)',
    tags,
    auth: 'agent',
    permission,
    status: 201,
    body: createAgentBody,
    response: agentRow.extend({ initialPassword: z.string().optional() }),
    handler: ({ body, auth }) => agents.create(auth, body),
  });
  api.route({
    method: 'get',
    path: '/api/agents/:id',
    summary: 'Agent detail',
    tags,
    auth: 'agent',
    permission,
    params: idParams,
    response: agentRow,
    handler: ({ params, auth }) => agents.get(auth.tenant, params.id),
  });
  api.route({
    method: 'get',
    path: '/api/agents/:id/detail',
    summary: 'Agent detail with status, load, today’s accepted conversations, sessions and the last 10 login-log entries (AGENT-DETAIL-2)',
    tags,
    auth: 'agent',
    permission,
    params: idParams,
    response: agentDetailView,
    handler: ({ params, auth }) => c.resolve(AgentDetailService).detail(auth.tenant, params.id),
  });
  api.route({
    method: 'patch',
    path: '/api/agents/:id',
    summary: 'Modify an agent (AGENT-EDIT-5)',
    tags,
    auth: 'agent',
    permission,
    params: idParams,
    body: updateAgentBody,
    response: agentRow,
    handler: ({ params, body, auth }) => agents.update(auth, params.id, body),
  });
  api.route({
    method: 'post',
    path: '/api/agents/:id/disable',
    summary: 'Disable an agent (AGENT-DISABLE-6)',
    tags,
    auth: 'agent',
    permission,
    params: idParams,
    response: agentRow,
    handler: ({ params, auth }) => agents.setDisabled(auth, params.id, true),
  });
  api.route({
    method: 'post',
    path: '/api/agents/:id/enable',
    summary: 'Enable an agent (AGENT-ENABLE-7)',
    tags,
    auth: 'agent',
    permission,
    params: idParams,
    response: agentRow,
    handler: ({ params, auth }) => agents.setDisabled(auth, params.id, false),
  });
  api.route({
    method: 'delete',
    path: '/api/agents/:id',
    summary: 'Delete an agent (AGENT-DELETE-8)',
    tags,
    auth: 'agent',
    permission,
    params: idParams,
    query: deleteAgentQuery,
    handler: ({ params, query, auth }) => agents.remove(auth, params.id, query.confirmAgentId),
  });
  api.route({
    method: 'post',
    path: '/api/agents/:id/password',
    summary: 'Reset an agent password (AGENT-PASSWORD-11)',
    tags,
    auth: 'agent',
    permission,
    params: idParams,
    body: passwordBody,
    response: z.object({ password: z.string().optional() }),
    handler: ({ params, body, auth }) => agents.resetPassword(auth, params.id, body.password),
  });
  api.route({
    method: 'post',
    path: '/api/agents/:id/sessions/end',
    summary: 'Sign an agent out everywhere (AGENT-SESSIONS-20)',
    tags,
    auth: 'agent',
    permission,
    params: idParams,
    response: z.object({ ended: z.number() }),
    handler: ({ params, auth }) => agents.endSessions(auth, params.id),
  });
  api.route({
    method: 'get',
    path: '/api/permissions',
    summary: 'Permissions an agent can hold in this company (AGENT-PERMS-13)',
    tags,
    auth: 'agent',
    response: z.object({
      permissions: z.array(
        z.object({
          name: z.string(),
          section: z.string(),
          label: z.object({ 'zh-CN': z.string(), en: z.string() }),
          plugin: z.string().optional(),
          includes: z.array(z.string()).optional(),
        }),
      ),
    }),
    handler: async ({ auth }) => ({ permissions: (await catalog.forCompany(auth.companyId)).map(({ newAgent: _n, ...d }) => d) }),
  });
}
