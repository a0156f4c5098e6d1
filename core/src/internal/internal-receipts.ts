import type { Knex } from 'knex';
import { inject, injectable } from '../infra/di.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import type { Tenant } from '../tenancy/tenant.ts';
import { TOKENS, type Clock } from '../tokens.ts';

export type ReceiptKind = 'delivered' | 'read';

/**
 * 已送达 and 已读 on the sender's messages (SPEC INTERNAL-TIMES-4), stamped by
 * the server clock when the recipient's first console received them and when
 * they first had the thread open. An invisible admin sends non-admins no
 * receipts (INTERNAL-PRESENCE-2): those stay hidden from the sender for good.
 */
@injectable()
export class InternalReceipts {
  constructor(
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(RealtimeNotifier) private readonly notifier: RealtimeNotifier,
  ) {}

  /** Messages to `agentId` their console now has (all still undelivered when `messageIds` is absent). */
  async delivered(t: Tenant, agentId: number, messageIds?: number[]): Promise<number[]> {
    return this.stamp(t, agentId, 'delivered', (q) => (messageIds ? q.whereIn('id', messageIds) : q));
  }

  /** Every unread message from `fromAgentId` to `agentId`; read implies delivered. */
  async read(t: Tenant, agentId: number, fromAgentId: number): Promise<number[]> {
    return this.stamp(t, agentId, 'read', (q) => q.where({ from_agent_id: fromAgentId }));
  }

  private async stamp(t: Tenant, agentId: number, kind: ReceiptKind, narrow: (q: Knex.QueryBuilder) => Knex.QueryBuilder): Promise<number[]> {
    const at = this.clock.now();
    const invisible = (await t.q('agent_presence').where({ agent_id: agentId }).first('status'))?.status === 'invisible';
    const raw = t.unscoped.raw.bind(t.unscoped);
    const patch: Record<string, unknown> = kind === 'read' ? { read_at: at, delivered_at: raw('coalesce(delivered_at, ?)', [at]) } : { delivered_at: at };
    if (invisible)
      patch.receipts_hidden = raw("receipts_hidden or not exists (select 1 from agents s where s.id = internal_messages.from_agent_id and s.role = 'admin')");
    const rows = await narrow(
      t
        .q('internal_messages')
        .where({ to_agent_id: agentId })
        .whereNull(kind === 'read' ? 'read_at' : 'delivered_at'),
    )
      .update(patch)
      .returning(['id', 'from_agent_id', 'receipts_hidden']);
    const bySender = new Map<number, number[]>();
    for (const r of rows) if (!r.receipts_hidden) bySender.set(Number(r.from_agent_id), [...(bySender.get(Number(r.from_agent_id)) ?? []), Number(r.id)]);
    for (const [sender, messageIds] of bySender)
      this.notifier.toAgents(rooms.agent(sender), 'internal.receipt', { kind, byAgentId: agentId, messageIds, at: at.toISOString() });
    return rows.map((r: any) => Number(r.id));
  }
}
