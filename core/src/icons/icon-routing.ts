import type { DependencyContainer } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS } from '../tokens.ts';
import { HookRegistry } from '../hooks/hook-registry.ts';

/**
 * ICON-BIND-5: a chat started from an icon bound to one agent is offered to that
 * agent only; it waits in the queue while they cannot take it.
 */
export function registerIconRouting(c: DependencyContainer) {
  const db = c.resolve<Db>(TOKENS.Db);
  c.resolve(HookRegistry).addFilter(
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
