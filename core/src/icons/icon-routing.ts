import type { DependencyContainer } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS } from '../tokens.ts';
import { HookRegistry } from '../hooks/hook-registry.ts';

/**
 * ICON-BIND-5: a chat started from an icon bound to one agent, or from a group
 * icon's agent entry (ICON-GROUP-6), is offered to that agent only; it waits in
 * the queue while they cannot take it. A disabled or deleted agent's bindings
 * become "none", dated for the icon list, and chats waiting for them go back to
 * the icon's own scope.
 */
export function registerIconRouting(c: DependencyContainer) {
  const db = c.resolve<Db>(TOKENS.Db);
  const hooks = c.resolve(HookRegistry);
  hooks.addAction(
    'agent.changed',
    async (e, { companyId }) => {
      if (e.kind !== 'disabled' && e.kind !== 'deleted') return;
      await db('icons').where({ company_id: companyId, agent_id: e.agentId }).update({ agent_id: null, binding_removed_at: new Date() });
      await db('conversations').where({ company_id: companyId, scope_agent_id: e.agentId }).whereNot('status', 'ended').update({ scope_agent_id: null });
    },
    { owner: 'core' },
  );
  hooks.addFilter(
    'visitor.routing',
    async (v, { companyId }) => {
      const row = await db('conversations as c')
        .leftJoin('icons as i', 'i.id', 'c.icon_id')
        .where({ 'c.id': v.conversationId, 'c.company_id': companyId })
        .first('c.scope_agent_id', 'i.agent_id');
      const agentId = row?.scope_agent_id ?? row?.agent_id;
      if (!agentId) return undefined;
      return { ...v, candidates: v.candidates.filter((x) => x.agentId === Number(agentId)) };
    },
    { owner: 'core', priority: 10 },
  );
}
