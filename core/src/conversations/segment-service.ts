import { inject, injectable, type DependencyContainer } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { HookRegistry } from '../hooks/hook-registry.ts';
import { Tenant } from '../tenancy/tenant.ts';
import type { SegmentView } from './segment-schemas.ts';

/**
 * Who served a conversation from when to when (CONV-STATES-3, CONV-TRANSFER-33).
 * Every way a conversation reaches an agent fires `conversation.assigned` and
 * every end `conversation.ended`, so the segments follow those two hooks rather
 * than each write path: a new agent closes the previous segment and opens theirs.
 */
@injectable()
export class SegmentService {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {}

  async assigned(companyId: number, conversationId: number, agentId: number, by: string): Promise<void> {
    const now = this.clock.now();
    await new Tenant(this.db, companyId).transaction(async (t) => {
      const open = await t.q('conversation_segments').where({ conversation_id: conversationId }).whereNull('ended_at').forUpdate().first('id', 'agent_id');
      if (open && Number(open.agent_id) === agentId) return;
      if (open) await t.q('conversation_segments').where({ id: open.id }).update({ ended_at: now, end_reason: by });
      await t.insert('conversation_segments', { conversation_id: conversationId, agent_id: agentId, started_by: by, started_at: now });
    });
  }

  async ended(companyId: number, conversationId: number, reason: string): Promise<void> {
    await new Tenant(this.db, companyId)
      .q('conversation_segments')
      .where({ conversation_id: conversationId })
      .whereNull('ended_at')
      .update({ ended_at: this.clock.now(), end_reason: reason });
  }

  /** Segments of several conversations, in order, by conversation id. */
  async of(t: Tenant, conversationIds: number[]): Promise<Map<number, SegmentView[]>> {
    const rows = await t
      .q('conversation_segments as s')
      .leftJoin('agents as a', 'a.id', 's.agent_id')
      .whereIn('s.conversation_id', conversationIds)
      .orderBy([{ column: 's.conversation_id' }, { column: 's.started_at' }, { column: 's.id' }])
      .select('s.*', 'a.nickname');
    const out = new Map<number, SegmentView[]>(conversationIds.map((id) => [id, []]));
    for (const r of rows)
      out.get(Number(r.conversation_id))?.push({
        agent: r.agent_id == null ? null : { id: Number(r.agent_id), nickname: r.nickname ?? null },
        startedBy: r.started_by,
        startedAt: new Date(r.started_at).toISOString(),
        endedAt: r.ended_at ? new Date(r.ended_at).toISOString() : null,
        endReason: r.end_reason ?? null,
      });
    return out;
  }
}

export function registerSegments(c: DependencyContainer): void {
  const hooks = c.resolve(HookRegistry);
  const segments = c.resolve(SegmentService);
  hooks.addAction('conversation.assigned', (p, ctx) => segments.assigned(ctx.companyId, p.conversationId, p.agentId, p.by), { owner: 'core' });
  hooks.addAction('conversation.ended', (p, ctx) => segments.ended(ctx.companyId, p.conversationId, p.reason), { owner: 'core' });
}
