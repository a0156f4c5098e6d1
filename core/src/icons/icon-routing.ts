import type { DependencyContainer } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS } from '../tokens.ts';
import { HookRegistry } from '../hooks/hook-registry.ts';

/**
 * ICON-BIND-5: a chat started from an icon bound to one agent is offered to that
 * agent only; it waits in the queue while they cannot take it. A disabled or
 * deleted agent's bindings become "none", dated for the icon list.
 */
export function registerIconRouting(c: DependencyContainer) {
  const db = c.resolve<Db>(TOKENS.Db);
  const hooks = c.resolve(HookRegistry);
  hooks.addAction(
    'agent.changed',
    async (e, { companyId }) => {
      if (e.kind !== 'disabled' && e.kind !== 'deleted') return;
      await db('icons').where({ company_id: companyId, agent_id: e.agentId }).update({ agent_id: null, binding_removed_at: new Date() });
    },
    { owner: 'core' },
  );
  hooks.addFilter(
    'visitor.routing',
    async (v, { companyId }) => {
      const row = await db('conversations as c')
        .join('icons as i', 'i.id', 'c.icon_id')
        .where({ 'c.id': v.conversationId, 'c.company_id': companyId })
        .first('i.agent_id');
      if (!row?.agent_id) return undefined;
      return { ...v, candidates: v.candidates.filter((x) => x.agentId === Number(row.agent_id)) };
    },
    { owner: 'core', priority: 10 },
  );
}
