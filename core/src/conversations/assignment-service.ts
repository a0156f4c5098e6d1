import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import type { Logger } from '../infra/logger.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { conflict, notFound } from '../http/errors.ts';
import { HookRegistry } from '../hooks/hook-registry.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import { HARD_LIMIT } from './chat-settings.ts';
import { ConversationQueries } from './conversation-queries.ts';
import { scopeGroupOf, scopeGroupSql } from './conversation-mapper.ts';
import { QueueBroadcaster } from './queue-broadcaster.ts';
import { RoutingService } from './routing-service.ts';
import { PresenceService } from '../presence/presence-service.ts';

/**
 * Gives queued conversations to agents: by hand (accept) or automatically.
 * Each decision is one transaction that claims the request with
 * FOR UPDATE SKIP LOCKED and re-checks the agent's load under a row lock, so
 * two nodes never assign one visitor twice (ASSIGN-ATOMIC-13).
 */
@injectable()
export class AssignmentService {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Logger) private readonly log: Logger,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(HookRegistry) private readonly hooks: HookRegistry,
    @inject(RoutingService) private readonly routing: RoutingService,
    @inject(ConversationQueries) private readonly queries: ConversationQueries,
    @inject(RealtimeNotifier) private readonly notifier: RealtimeNotifier,
    @inject(QueueBroadcaster) private readonly queue: QueueBroadcaster,
    @inject(PresenceService) private readonly presence: PresenceService,
  ) {}

  /** CONV-ACCEPT-5: first accept wins; the others get 409 already_accepted naming the winner. */
  async accept(companyId: number, agentId: number, conversationId: number) {
    // 离开 prepares for leaving: current chats stay, new ones are not taken (TOOLBAR-AWAY-11).
    if ((await this.presence.get(agentId)).status === 'away') throw conflict('agent_away', 'You are away: set yourself online, busy or invisible first');
    return this.claim(companyId, agentId, conversationId, 'manual');
  }

  /**
   * ASSIGN-DASHBOARD-17 指派: an assign.manage holder hands a waiting request to an agent
   * on duty who holds conversation.accept — outside the request's scope and above the
   * cap too, never above the hard limit. Connects at once, like an accept.
   */
  async dispatch(companyId: number, agentId: number, conversationId: number) {
    const t = new Tenant(this.db, companyId);
    const agent = await t.q('agents').where({ id: agentId }).whereNull('deleted_at').first('role', 'permissions', 'disabled_at');
    if (!agent) throw notFound('Agent not found');
    const status = (await this.presence.get(agentId)).status;
    const mayAccept = agent.role === 'admin' || (agent.permissions ?? []).includes('conversation.accept');
    if (agent.disabled_at || !mayAccept || !['online', 'busy', 'invisible'].includes(status) || !(await this.notifier.agentHasSockets(agentId)))
      throw conflict('target_unavailable', 'This agent cannot take chats now');
    return this.claim(companyId, agentId, conversationId, 'dispatch');
  }

  private async claim(companyId: number, agentId: number, conversationId: number, by: 'manual' | 'dispatch') {
    const t = new Tenant(this.db, companyId);
    const claimed = await t.transaction(async (tt) => {
      // A plain row lock (not SKIP LOCKED): the loser waits for the winner's commit and can name it.
      const row = await tt.q('conversations').where({ id: conversationId }).forUpdate().first();
      if (!row) throw notFound('Conversation not found');
      if (row.status !== 'queued')
        throw conflict(row.status === 'ended' ? 'conversation_ended' : 'already_accepted', 'Another agent accepted this conversation first', {
          agentId: row.agent_id ? Number(row.agent_id) : null,
        });
      if (by === 'manual') await this.assertInScope(tt, agentId, scopeGroupOf(row));
      await this.assertBelowHardLimit(tt, agentId);
      await tt
        .q('conversations')
        .where({ id: conversationId })
        .update({ status: 'active', agent_id: agentId, accepted_at: this.clock.now(), served_by_plugin: null, offered_agent_id: null, offer_expires_at: null });
      await tt.q('agent_presence').where({ agent_id: agentId }).update({ last_assigned_at: this.clock.now() });
      return row;
    });
    // Confirming one's own offer completes an automatic assignment (ASSIGN-CONNECT-15).
    return this.connected(companyId, agentId, claimed, by === 'manual' && Number(claimed.offered_agent_id) === agentId ? 'auto' : by);
  }

  private running = new Map<number, { again: boolean; done: Promise<number> }>();

  /**
   * Assigns waiting requests to eligible agents until no request in queue order
   * can be placed (ASSIGN-TRIGGER-12). One run per company at a time on a node:
   * a trigger during a run asks for one more pass instead of racing it, so a
   * request locked by a parallel run is never overtaken by a later one.
   */
  assignWaiting(companyId: number): Promise<number> {
    const current = this.running.get(companyId);
    if (current) {
      current.again = true;
      return current.done;
    }
    const state = { again: false, done: Promise.resolve(0) };
    state.done = (async () => {
      let total = 0;
      try {
        do {
          state.again = false;
          total += await this.assignPass(companyId);
        } while (state.again);
      } finally {
        this.running.delete(companyId);
      }
      return total;
    })();
    this.running.set(companyId, state);
    return state.done;
  }

  private async assignPass(companyId: number): Promise<number> {
    const settings = await this.routing.settings(companyId);
    if (!settings.autoAssign) return 0;
    const t = new Tenant(this.db, companyId);
    const waiting = await t
      .q('conversations')
      .where({ status: 'queued' })
      .whereNull('served_by_plugin') // a plugin (robot) is serving it (ROBOT-MODE-12)
      .whereNull('offered_agent_id') // reserved for an agent who has yet to confirm (ASSIGN-CONNECT-15)
      .orderBy([{ column: 'queue_class' }, { column: 'created_at' }, { column: 'id' }])
      .limit(200)
      // Routed within its scope: the overflow target once it overflowed (GROUP-OVERFLOW-7).
      .select('id', 'visitor_id', 'channel', 'created_at', this.db.raw(`${scopeGroupSql('conversations')} as group_id`));
    let assigned = 0;
    for (const conv of waiting) {
      const choice = await this.routing.choose(
        companyId,
        { ...conv, id: Number(conv.id), visitor_id: Number(conv.visitor_id), group_id: conv.group_id ? Number(conv.group_id) : null },
        settings,
      );
      if (!choice?.candidates.length) continue;
      const now = this.clock.now();
      const offerUntil = settings.confirm.enabled ? new Date(now.getTime() + settings.confirm.seconds * 1000) : null;
      const won = await t.transaction(async (tt) => {
        const row = await tt
          .q('conversations')
          .where({ id: conv.id, status: 'queued' })
          .whereNull('served_by_plugin')
          .whereNull('offered_agent_id')
          .forUpdate()
          .skipLocked()
          .first();
        if (!row) return null;
        for (const c of choice.candidates) {
          // Lock the agent's presence row so two decisions cannot both fill the last slot.
          await tt.q('agent_presence').where({ agent_id: c.agentId }).forUpdate().first('agent_id');
          if ((await this.loadOf(tt, c.agentId)) >= Math.min(c.cap, HARD_LIMIT)) continue;
          await tt
            .q('conversations')
            .where({ id: conv.id })
            .update(offerUntil ? { offered_agent_id: c.agentId, offer_expires_at: offerUntil } : { status: 'active', agent_id: c.agentId, accepted_at: now });
          await tt.q('agent_presence').where({ agent_id: c.agentId }).update({ last_assigned_at: now });
          return { row, agentId: c.agentId };
        }
        return null;
      });
      if (!won) continue;
      assigned++;
      if (offerUntil) await this.offered(companyId, won.agentId, Number(won.row.id), offerUntil);
      else await this.connected(companyId, won.agentId, won.row, won.agentId === choice.stickyAgentId ? 'sticky' : 'auto');
    }
    return assigned;
  }

  /** Open conversations an agent serves plus the offers they have yet to confirm. */
  private async loadOf(t: Tenant, agentId: number): Promise<number> {
    const [{ n }] = await t
      .q('conversations')
      .where((w) => w.where({ agent_id: agentId, status: 'active' }).orWhere({ offered_agent_id: agentId, status: 'queued' }))
      .count<{ n: string }[]>('* as n');
    return Number(n);
  }

  private async offered(companyId: number, agentId: number, conversationId: number, expiresAt: Date) {
    const conversation = await this.queries.one(new Tenant(this.db, companyId), conversationId);
    this.notifier.toAgents(rooms.agent(agentId), 'conversation.offered', { conversation, expiresAt: expiresAt.toISOString() });
  }

  /**
   * ASSIGN-CONNECT-15: an offer nobody confirmed in time returns to its place in
   * the queue (its created_at never changed) and the silent agent becomes away
   * (`no_response`) so nothing more goes to an absent console. Run by the sweep.
   */
  async expireOffers(): Promise<void> {
    const { rows } = await this.db.raw(
      `with lapsed as (
         select id, offered_agent_id from conversations
         where status = 'queued' and offered_agent_id is not null and offer_expires_at <= ?
         for update skip locked)
       update conversations c set offered_agent_id = null, offer_expires_at = null
       from lapsed where c.id = lapsed.id
       returning c.id, c.company_id, lapsed.offered_agent_id as agent_id`,
      [this.clock.now()],
    );
    const silent = new Map<string, { companyId: number; agentId: number }>();
    for (const r of rows) {
      const companyId = Number(r.company_id);
      const agentId = Number(r.agent_id);
      this.notifier.toAgents(rooms.agent(agentId), 'conversation.offerExpired', { conversationId: Number(r.id) });
      silent.set(`${companyId}:${agentId}`, { companyId, agentId });
    }
    for (const { companyId, agentId } of silent.values()) await this.presence.setBySystem(companyId, agentId, 'away', 'no_response');
    for (const companyId of new Set([...silent.values()].map((s) => s.companyId))) await this.assignWaiting(companyId);
  }

  private async connected(companyId: number, agentId: number, row: any, by: 'manual' | 'auto' | 'sticky' | 'dispatch') {
    const t = new Tenant(this.db, companyId);
    const conversation = await this.queries.one(t, Number(row.id));
    this.notifier.joinConversation(conversation.id, { agentId });
    this.notifier.toVisitors(rooms.visitor(conversation.visitorId), 'conversation.updated', { conversation });
    this.notifier.toAgents(rooms.agent(agentId), 'conversation.updated', { conversation });
    await this.queue.changed(companyId);
    const ctx = { companyId, actor: { kind: 'agent' as const, id: agentId } };
    const waitMs = this.clock.now().getTime() - new Date(row.created_at).getTime();
    await this.hooks.emit(
      'conversation.assigned',
      { conversationId: conversation.id, agentId, by, scope: { groupId: conversation.scopeGroupId }, waitMs },
      ctx,
    );
    await this.hooks.emit('conversation.accepted', { conversationId: conversation.id, agentId }, ctx);
    return conversation;
  }

  /** GROUP-SCOPE-5: a group's request is for its members only, admins included. */
  private async assertInScope(t: Tenant, agentId: number, groupId: number | null) {
    if (groupId != null && !(await t.q('group_members').where({ group_id: groupId, agent_id: agentId }).first('agent_id')))
      throw conflict('not_in_scope', 'This request is for the members of another group', { groupId });
  }

  private async assertBelowHardLimit(t: Tenant, agentId: number) {
    if ((await this.loadOf(t, agentId)) >= HARD_LIMIT) throw conflict('too_many_conversations', `At most ${HARD_LIMIT} open conversations`);
  }
}
