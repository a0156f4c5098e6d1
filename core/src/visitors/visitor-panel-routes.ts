import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { idParams } from '../accounts/agent-schemas.ts';
import { notFound } from '../http/errors.ts';
import { VisitorScope, viewerOf } from './visitor-scope.ts';
import { readTrail, trailView } from './visitor-trail.ts';

/** The side panel's visitor tabs (SPEC §2.4.3); a visitor outside the agent's list scope (VISITOR-SCOPE-4) is not found. */
export function registerVisitorPanelRoutes(api: ApiRouter, c: DependencyContainer) {
  const scope = c.resolve(VisitorScope);
  const tags = ['visitors'];

  api.route({
    method: 'get',
    path: '/api/visitors/:id/trail',
    summary: "The visitor's page views: the current visit and the 20 before it, newest first (WORKBENCH-TRAIL-7)",
    tags,
    auth: 'agent',
    params: idParams,
    response: trailView,
    handler: async ({ params, auth }) => {
      const known = await auth.tenant.q('visitors').where({ id: params.id }).first('id');
      if (!known || !(await scope.allows(auth.companyId, viewerOf(auth), params.id))) throw notFound('Visitor not found');
      return readTrail(auth.tenant, params.id);
    },
  });
}
