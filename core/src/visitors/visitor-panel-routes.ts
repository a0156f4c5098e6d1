import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { idParams } from '../accounts/agent-schemas.ts';
import { notFound } from '../http/errors.ts';
import { HistoryService } from '../history/history-service.ts';
import { VisitorScope, viewerOf } from './visitor-scope.ts';
import { readTrail, trailView } from './visitor-trail.ts';
import { VisitorInfoService } from './visitor-info-service.ts';
import { visitorChangesView, visitorEditBody, visitorInfoView, visitorProfileView } from './visitor-info-schemas.ts';
import { readVisitorProfile } from './visitor-profile.ts';

/** The side panel's visitor tabs (SPEC §2.4.3); a visitor outside the agent's list scope (VISITOR-SCOPE-4) is not found. */
export function registerVisitorPanelRoutes(api: ApiRouter, c: DependencyContainer) {
  const scope = c.resolve(VisitorScope);
  const info = c.resolve(VisitorInfoService);
  const history = c.resolve(HistoryService);
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

  api.route({
    method: 'get',
    path: '/api/visitors/:id/info',
    summary: '访客信息: contact values with where each came from, visit details and counts, and whether the caller may edit (WORKBENCH-VISITOR-8)',
    tags,
    auth: 'agent',
    params: idParams,
    response: visitorInfoView,
    handler: ({ params, auth }) => info.info(auth, params.id),
  });

  api.route({
    method: 'patch',
    path: '/api/visitors/:id/info',
    summary:
      'Set name, mobile, landline, e-mail or note (null clears); agents who serve or served the visitor and admins, others 403 forbidden; consoles get visitor.infoChanged (WORKBENCH-VISITOREDIT-9)',
    tags,
    auth: 'agent',
    params: idParams,
    body: visitorEditBody,
    response: visitorInfoView,
    handler: ({ params, body, auth }) => info.edit(auth, params.id, body),
  });

  api.route({
    method: 'get',
    path: '/api/visitors/:id/info/changes',
    summary: 'Every change of the visitor’s information with old and new value, who and when, newest first (WORKBENCH-VISITOREDIT-9)',
    tags,
    auth: 'agent',
    params: idParams,
    response: visitorChangesView,
    handler: ({ params, auth }) => info.changes(auth, params.id),
  });

  api.route({
    method: 'get',
    path: '/api/visitors/:id/profile',
    summary: 'The visitor profile: submitted information, the conversations and leave-messages the caller may see, newest 50 each (HISTORY-VISITOR-7)',
    tags,
    auth: 'agent',
    params: idParams,
    response: visitorProfileView,
    handler: ({ params, auth }) => readVisitorProfile(auth, params.id, { info, history, scope }),
  });
}
