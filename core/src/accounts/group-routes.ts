import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { idParams } from './agent-schemas.ts';
import { GroupDetailService, groupDetailView } from './group-detail.ts';
import { GroupService, groupBody, groupPatch, groupView } from './group-service.ts';

export function registerGroupRoutes(api: ApiRouter, c: DependencyContainer) {
  const groups = c.resolve(GroupService);
  const tags = ['groups'];
  const permission = 'groups.manage';
  api.route({
    method: 'get',
    path: '/api/groups',
    summary: 'List groups',
    tags,
    auth: 'agent',
    response: z.object({ items: z.array(groupView) }),
    handler: async ({ auth }) => ({ items: await groups.list(auth.tenant) }),
  });
  api.route({
    method: 'get',
    path: '/api/groups/:id/detail',
    summary: 'An expanded group row: members with status, load/cap and accepted today; bindings; the current queue (GROUP-EXPAND-2)',
    tags,
    auth: 'agent',
    permission,
    params: idParams,
    response: groupDetailView,
    handler: ({ params, auth }) => c.resolve(GroupDetailService).detail(auth, params.id),
  });
  api.route({
    method: 'post',
    path: '/api/groups',
    summary: 'Add a group',
    tags,
    auth: 'agent',
    permission,
    status: 201,
    body: groupBody,
    response: groupView,
    handler: ({ body, auth }) => groups.create(auth.tenant, body),
  });
  api.route({
    method: 'patch',
    path: '/api/groups/:id',
    summary: 'Modify a group',
    tags,
    auth: 'agent',
    permission,
    params: idParams,
    body: groupPatch,
    response: groupView,
    handler: ({ params, body, auth }) => groups.update(auth.tenant, params.id, body),
  });
  api.route({
    method: 'delete',
    path: '/api/groups/:id',
    summary: 'Delete a group',
    tags,
    auth: 'agent',
    permission,
    params: idParams,
    handler: async ({ params, auth }) => groups.remove(auth.tenant, params.id),
  });
}
