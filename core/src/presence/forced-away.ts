import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { conflict, forbidden, notFound } from '../http/errors.ts';
import { assertNotSelf } from '../accounts/agent-guard.ts';
import { idParams } from '../accounts/agent-schemas.ts';
import { AuditService } from '../accounts/audit-service.ts';
import { PresenceService } from './presence-service.ts';

/**
 * TOOLBAR-FORCE-16: an admin (the role itself, no permission grants it) sets a
 * signed-in colleague, other than the primary admin, to 离开 with an optional
 * note shown to them. Logged with reason `forced` and in the audit log; the
 * colleague's conversations stay with them as TOOLBAR-AWAY-11 says.
 */
export function registerForcedAway(api: ApiRouter, c: DependencyContainer) {
  const presence = c.resolve(PresenceService);
  const audit = c.resolve(AuditService);
  api.route({
    method: 'post',
    path: '/api/agents/:id/away',
    summary: 'Set a colleague to 离开 (TOOLBAR-FORCE-16)',
    tags: ['agents'],
    auth: 'agent',
    params: idParams,
    body: z.strictObject({ note: z.string().trim().max(200).optional() }),
    response: z.object({ status: z.literal('away') }),
    handler: async ({ params, body, auth }) => {
      if (auth.agent.role !== 'admin') throw forbidden('admin', 'Only administrators set a colleague’s status');
      const target = await auth.tenant.q('agents').where({ id: params.id }).whereNull('deleted_at').first('id', 'agent_id', 'is_primary');
      if (!target) throw notFound('Agent not found');
      assertNotSelf(auth, params.id, 'modify');
      if (target.is_primary) throw conflict('primary_admin_protected', 'The primary administrator’s status is their own');
      if (!(await presence.get(params.id)).present) throw conflict('agent_offline', 'This agent is not signed in');
      const note = body.note || undefined;
      await presence.setBySystem(auth.companyId, params.id, 'away', 'forced', note);
      await audit.write(auth.tenant, { actor: auth.agent.id, action: 'agent.forceAway', target: target.agent_id, new: { status: 'away', note: note ?? null } });
      return { status: 'away' as const };
    },
  });
}
