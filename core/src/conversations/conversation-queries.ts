import { injectable } from '../infra/di.ts';
import { notFound } from '../http/errors.ts';
import type { Tenant } from '../tenancy/tenant.ts';
import type { ConversationView } from '../protocol/message-schemas.ts';
import { toConversationView } from './conversation-mapper.ts';

/** Read side of conversations: one query shape (with visitor number and agent nickname) for every list. */
@injectable()
export class ConversationQueries {
  base(t: Tenant) {
    return t
      .q('conversations as c')
      .join('visitors as v', 'v.id', 'c.visitor_id')
      .leftJoin('agents as a', 'a.id', 'c.agent_id')
      .select('c.*', 'v.number as visitor_number', 'v.name as visitor_name', 'a.nickname as agent_nickname');
  }

  map(row: any): ConversationView {
    return toConversationView(row);
  }

  /** Keyset page of the agent's conversations, newest first (CONV-LISTS-1). */
  async ofAgent(t: Tenant, agentId: number, f: { status?: 'active' | 'ended'; before?: number; limit: number }): Promise<ConversationView[]> {
    const q = this.base(t).where('c.agent_id', agentId);
    if (f.status) q.where('c.status', f.status);
    if (f.before) q.where('c.id', '<', f.before);
    return (await q.orderBy('c.id', 'desc').limit(f.limit)).map(toConversationView);
  }

  /** TOOLBAR-UNREAD-3: visitor messages after what the agent has read, per open conversation. */
  async unread(t: Tenant, agentId: number): Promise<Record<string, number>> {
    const rows = await t
      .q('conversations as c')
      .join('messages as m', 'm.conversation_id', 'c.id')
      .leftJoin('conversation_reads as r', function () {
        this.on('r.conversation_id', 'c.id').andOnVal('r.agent_id', '=', agentId);
      })
      .where({ 'c.agent_id': agentId, 'c.status': 'active', 'm.sender_kind': 'visitor' })
      .whereRaw('m.seq > coalesce(r.last_read_seq, 0)')
      .groupBy('c.id')
      .select('c.id')
      .count<{ id: string; count: string }[]>('m.id as count');
    return Object.fromEntries(rows.map((r) => [String(r.id), Number(r.count)]));
  }

  async one(t: Tenant, id: number): Promise<ConversationView> {
    const row = await this.base(t).where('c.id', id).first();
    if (!row) throw notFound('Conversation not found');
    return toConversationView(row);
  }

  async waiting(t: Tenant): Promise<ConversationView[]> {
    return (
      await this.base(t)
        .where('c.status', 'queued')
        .whereNull('c.served_by_plugin')
        .orderBy([{ column: 'c.queue_class' }, { column: 'c.created_at' }, { column: 'c.id' }])
        .limit(500)
    ).map(toConversationView);
  }

  /** TOOLBAR-WAITING-2: the waiting requests this agent is a candidate for — a group's only for its members (GROUP-SCOPE-5). */
  async waitingFor(t: Tenant, agentId: number): Promise<ConversationView[]> {
    const [all, memberships] = await Promise.all([this.waiting(t), t.q('group_members').where({ agent_id: agentId }).select('group_id')]);
    const groups = new Set(memberships.map((m: any) => Number(m.group_id)));
    return all.filter((c) => c.scopeGroupId == null || groups.has(c.scopeGroupId));
  }

  async activeOf(t: Tenant, agentId: number): Promise<ConversationView[]> {
    return (await this.base(t).where({ 'c.status': 'active', 'c.agent_id': agentId }).orderBy('c.accepted_at')).map(toConversationView);
  }

  async openOfVisitor(t: Tenant, visitorId: number): Promise<ConversationView | null> {
    const row = await this.base(t).where('c.visitor_id', visitorId).whereNot('c.status', 'ended').first();
    return row ? toConversationView(row) : null;
  }

  /** ASSIGN-POSITION-9: waiting requests up to and including this one, in queue order (1 = next). */
  async position(t: Tenant, conv: ConversationView): Promise<number | null> {
    if (conv.status !== 'queued') return null;
    const { rows } = await t.unscoped.raw(
      `select count(*)::int as n from conversations q, (select queue_class, created_at, id from conversations where id = ? and company_id = ?) me
        where q.company_id = ? and q.status = 'queued' and q.served_by_plugin is null and (q.queue_class, q.created_at, q.id) <= (me.queue_class, me.created_at, me.id)`,
      [conv.id, t.companyId, t.companyId],
    );
    return rows[0]?.n ?? null;
  }
}
