import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { idParams } from '../accounts/agent-schemas.ts';
import { messageView } from '../protocol/message-schemas.ts';
import { registerCannedListRoutes } from './canned-list-routes.ts';
import { suggestCanned } from './canned-suggest.ts';
import { ToolGroupService } from './tool-groups.ts';
import { ToolItemService } from './tool-items.ts';
import { KINDS, type ToolKind } from './tool-kinds.ts';
import {
  createBodies,
  groupBody,
  groupView,
  itemOrderBody,
  itemViews,
  listQuery,
  orderBody,
  patchBodies,
  renameBody,
  scopeQuery,
  sendBody,
  suggestQuery,
} from './tool-schemas.ts';
import { ToolSender } from './tool-sender.ts';
import { toolStamp } from './tool-stamp.ts';

const tags = ['agent tools'];
const FEATURE: Record<ToolKind, string> = { canned: 'CHATSET-CANNED-7', link: 'CHATSET-LINKS-12', file: 'CHATSET-FILES-13' };

/**
 * Canned replies, common links and common files (SPEC CHATSET §10.1.2,
 * WORKBENCH §2.4.3) under /api/agent-tools/{canned,links,files}: the same
 * routes for each list, with its own entry schema. Reading needs no
 * permission; company-scope changes need the list's (CHATSET-PERMS-14).
 */
export function registerAgentToolRoutes(api: ApiRouter, c: DependencyContainer) {
  const groups = c.resolve(ToolGroupService);
  const items = c.resolve(ToolItemService);
  const sender = c.resolve(ToolSender);
  registerCannedListRoutes(api, c);

  api.route({
    method: 'get',
    path: '/api/agent-tools/stamp',
    summary: 'Changes whenever any list the agent sees changes; poll it to refresh (WORKBENCH-CANNED-3)',
    tags,
    auth: 'agent',
    response: z.object({ stamp: z.string() }),
    handler: async ({ auth }) => ({ stamp: await toolStamp(auth) }),
  });
  api.route({
    method: 'get',
    path: '/api/agent-tools/canned/suggest',
    summary: 'Canned replies for `/text` typed in the input: by shortcut, then title and content (CHATSET-CANNEDUSE-8)',
    tags,
    auth: 'agent',
    query: suggestQuery,
    response: z.object({ items: z.array(itemViews.canned) }),
    handler: async ({ query, auth }) => ({ items: await suggestCanned(auth, query.q) }),
  });
  for (const kind of ['link', 'file'] as const)
    api.route({
      method: 'post',
      path: `/api/agent-tools/${KINDS[kind].path}/:id/send`,
      summary: `Send this ${kind} into a conversation the agent serves (${kind === 'link' ? 'WORKBENCH-LINKS-4' : 'WORKBENCH-FILES-5'})`,
      tags,
      auth: 'agent',
      status: 201,
      params: idParams,
      body: sendBody,
      response: z.object({ message: messageView }),
      handler: async ({ params, body, auth }) => ({
        message: await (kind === 'link' ? sender.sendLink(auth, params.id, body) : sender.sendFile(auth, params.id, body)),
      }),
    });

  for (const kind of Object.keys(KINDS) as ToolKind[]) {
    const base = `/api/agent-tools/${KINDS[kind].path}`;
    // One declaration per list; the loop widens the entry schema to what every list shares.
    const view = itemViews[kind] as z.ZodType<unknown>;
    const ref = FEATURE[kind];
    api.route({
      method: 'get',
      path: `${base}/tree`,
      summary: `Both scopes' groups and entries, for the side panel (${ref})`,
      tags,
      auth: 'agent',
      response: z.object({ groups: z.array(groupView), items: z.array(view), canEditCompany: z.boolean() }),
      handler: ({ auth }) => items.tree(auth, kind),
    });
    api.route({
      method: 'get',
      path: base,
      summary: `Search one scope, paginated (${ref})`,
      tags,
      auth: 'agent',
      query: listQuery,
      response: z.object({ items: z.array(view), total: z.number(), page: z.number(), pageSize: z.number() }),
      handler: ({ query, auth }) => items.list(auth, kind, query),
    });
    api.route({
      method: 'post',
      path: base,
      summary: `Add an entry (${ref})`,
      tags,
      auth: 'agent',
      status: 201,
      body: createBodies[kind],
      response: view,
      handler: ({ body, auth }) => items.create(auth, kind, body),
    });
    api.route({
      method: 'put',
      path: `${base}/order`,
      summary: `Order the entries of one group (${ref})`,
      tags,
      auth: 'agent',
      body: itemOrderBody,
      handler: ({ body, auth }) => items.reorder(auth, kind, body),
    });
    api.route({
      method: 'patch',
      path: `${base}/:id`,
      summary: `Change an entry or move it to another group (${ref})`,
      tags,
      auth: 'agent',
      params: idParams,
      body: patchBodies[kind],
      response: view,
      handler: ({ params, body, auth }) => items.update(auth, kind, params.id, body),
    });
    api.route({
      method: 'delete',
      path: `${base}/:id`,
      summary: `Delete an entry (${ref})`,
      tags,
      auth: 'agent',
      params: idParams,
      handler: ({ params, auth }) => items.remove(auth, kind, params.id),
    });
    api.route({
      method: 'get',
      path: `${base}/groups`,
      summary: `The groups of one scope; a new scope starts with the built-in ones (${ref})`,
      tags,
      auth: 'agent',
      query: scopeQuery,
      response: z.object({ items: z.array(groupView) }),
      handler: async ({ query, auth }) => ({ items: await groups.list(auth, kind, query.scope) }),
    });
    api.route({
      method: 'post',
      path: `${base}/groups`,
      summary: `Add a group (${ref})`,
      tags,
      auth: 'agent',
      status: 201,
      body: groupBody,
      response: groupView,
      handler: ({ body, auth }) => groups.create(auth, kind, body.scope, body.name),
    });
    api.route({
      method: 'put',
      path: `${base}/groups/order`,
      summary: `Order the groups of one scope (${ref})`,
      tags,
      auth: 'agent',
      body: orderBody,
      response: z.object({ items: z.array(groupView) }),
      handler: async ({ body, auth }) => ({ items: await groups.reorder(auth, kind, body.scope, body.ids) }),
    });
    api.route({
      method: 'patch',
      path: `${base}/groups/:id`,
      summary: `Rename a group (${ref})`,
      tags,
      auth: 'agent',
      params: idParams,
      body: renameBody,
      response: groupView,
      handler: ({ params, body, auth }) => groups.rename(auth, kind, params.id, body.name),
    });
    api.route({
      method: 'delete',
      path: `${base}/groups/:id`,
      summary: `Delete an empty group (${ref})`,
      tags,
      auth: 'agent',
      params: idParams,
      handler: ({ params, auth }) => groups.remove(auth, kind, params.id),
    });
  }
}
