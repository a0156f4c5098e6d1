import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { bulkAgentsBody, bulkResultsView, idParams } from './agent-schemas.ts';
import { AgentService, eachAgent } from './agent-service.ts';
import { createTemplateBody, TemplateStore, templateView, updateTemplateBody } from './template-store.ts';

const applyBody = z.strictObject({
  agentIds: z.array(z.number().int().positive()).min(1).max(200),
});
const reapplyBody = z.strictObject({
  dryRun: z.boolean().default(false).describe('Only report how many agents it would change'),
});

/** Permission templates (AGENT-TEMPLATE-18) and bulk actions on agents (AGENT-BULK-19), both under `agents.manage`. */
export function registerTemplateRoutes(api: ApiRouter, c: DependencyContainer) {
  const templates = c.resolve(TemplateStore);
  const agents = c.resolve(AgentService);
  const tags = ['agents'];
  const permission = 'agents.manage';

  api.route({
    method: 'get',
    path: '/api/permission-templates',
    summary: 'Permission templates (AGENT-TEMPLATE-18)',
    tags,
    auth: 'agent',
    permission,
    response: z.object({ items: z.array(templateView) }),
    handler: async ({ auth }) => ({ items: await templates.list(auth.tenant) }),
  });
  api.route({
    method: 'post',
    path: '/api/permission-templates',
    summary: 'Add a template (at most 30, 409 template_limit; 409 template_name_taken)',
    tags,
    auth: 'agent',
    permission,
    status: 201,
    body: createTemplateBody,
    response: templateView,
    handler: ({ auth, body }) => templates.create(auth, body),
  });
  api.route({
    method: 'patch',
    path: '/api/permission-templates/:id',
    summary: 'Rename, change or make default; changes no agent until re-applied',
    tags,
    auth: 'agent',
    permission,
    params: idParams,
    body: updateTemplateBody,
    response: templateView,
    handler: ({ auth, params, body }) => templates.update(auth, params.id, body),
  });
  api.route({
    method: 'delete',
    path: '/api/permission-templates/:id',
    summary: 'Delete a template (not the default: 409 template_is_default); agents keep their permissions',
    tags,
    auth: 'agent',
    permission,
    params: idParams,
    handler: ({ auth, params }) => templates.remove(auth, params.id),
  });
  api.route({
    method: 'post',
    path: '/api/permission-templates/:id/apply',
    summary: "Replace these agents' permissions with the template's; one result per agent",
    tags,
    auth: 'agent',
    permission,
    params: idParams,
    body: applyBody,
    response: bulkResultsView,
    handler: ({ auth, params, body }) => agents.bulk(auth, { agentIds: body.agentIds, action: { kind: 'applyTemplate', templateId: params.id } }),
  });
  api.route({
    method: 'post',
    path: '/api/permission-templates/:id/reapply',
    summary: '重新应用: apply the edited template to the agents it was last applied to; dryRun reports how many would change',
    tags,
    auth: 'agent',
    permission,
    params: idParams,
    body: reapplyBody,
    response: bulkResultsView,
    handler: async ({ auth, params, body }) => {
      const tpl = await templates.manageable(auth, params.id);
      const results = await eachAgent(await templates.linkedAgents(auth.tenant, tpl.id), (id) => agents.applyTemplate(auth, id, tpl, body.dryRun));
      return { results, changed: results.filter((r) => r.result === 'ok').length };
    },
  });
  api.route({
    method: 'post',
    path: '/api/agents/bulk',
    summary: 'Bulk action on up to 200 agents (AGENT-BULK-19): groups, cap, template, disable, enable',
    tags,
    auth: 'agent',
    permission,
    body: bulkAgentsBody,
    response: bulkResultsView,
    handler: ({ auth, body }) => agents.bulk(auth, body),
  });
}
