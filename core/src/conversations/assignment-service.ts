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
import { QueueBroadcaster } from './queue-broadcaster.ts';
import { RoutingService } from './routing-service.ts';

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
  ) {}

  /** CONV-ACCEPT-5: first accept wins; the others get 409 already_accepted naming the winner. */
  async accept(companyId: number, agentId: number, conversationId: number) {
    const t = new Tenant(this.db, companyId);
    const claimed = await t.transaction(async (tt) => {
      // A plain row lock (not SKIP LOCKED): the loser waits for the winner's commit and can name it.
      const row = await tt.q('conversations').where({ id: conversationId }).forUpdate().first();
      if (!row) throw notFound('Conversation not found');
      if (row.status !== 'queued')
        throw conflict(row.status === 'ended' ? 'conversation_ended' : 'already_accepted', 'Another agent accepted this conversation first', {
          agentId: row.agent_id ? Number(row.agent_id) : null,
        });
      await this.assertBelowHardLimit(tt, agentId);
      await tt
        .q('conversations')
        .where({ id: conversationId })
        .update({ status: 'active', agent_id: agentId, accepted_at: this.clock.now(), served_by_plugin: null });
      await tt.q('agent_presence').where({ agent_id: agentId }).update({ last_assigned_at: this.clock.now() });
      return row;
    });
    return this.connected(companyId, agentId, claimed, 'manual');
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
      .orderBy([{ column: 'queue_class' }, { column: 'created_at' }, { column: 'id' }])
      .limit(200)
      .select('id', 'visitor_id', 'channel', 'group_id');
    let assigned = 0;
    for (const conv of waiting) {
      const candidates = await this.routing.choose(
        companyId,
        { ...conv, id: Number(conv.id), visitor_id: Number(conv.visitor_id), group_id: conv.group_id ? Number(conv.group_id) : null },
        settings,
      );
      if (!candidates?.length) continue;
      const won = await t.transaction(async (tt) => {
        const row = await tt.q('conversations').where({ id: conv.id, status: 'queued' }).whereNull('served_by_plugin').forUpdate().skipLocked().first();
        if (!row) return null;
        for (const c of candidates) {
          // Lock the agent's presence row so two decisions cannot both fill the last slot.
          await tt.q('agent_presence').where({ agent_id: c.agentId }).forUpdate().first('agent_id');
          const [{ n }] = await tt.q('conversations').where({ agent_id: c.agentId, status: 'active' }).count<{ n: string }[]>('* as n');
          if (Number(n) >= c.cap || Number(n) >= HARD_LIMIT) continue;
          await tt.q('conversations').where({ id: conv.id }).update({ status: 'active', agent_id: c.agentId, accepted_at: this.clock.now() });
          await tt.q('agent_presence').where({ agent_id: c.agentId }).update({ last_assigned_at: this.clock.now() });
          return { row, agentId: c.agentId };
        }
        return null;
      });
      if (won) {
        assigned++;
        await this.connected(companyId, won.agentId, won.row, 'auto');
      }
    }
    return assigned;
  }

  private async connected(companyId: number, agentId: number, row: any, by: 'manual' | 'auto') {
    const t = new Tenant(this.db, companyId);
    const conversation = await this.queries.one(t, Number(row.id));
    this.notifier.joinConversation(conversation.id, { agentId });
    this.notifier.toVisitors(rooms.visitor(conversation.visitorId), 'conversation.updated', { conversation });
    this.notifier.toAgents(rooms.agent(agentId), 'conversation.updated', { conversation });
    await this.queue.changed(companyId);
    const ctx = { companyId, actor: { kind: 'agent' as const, id: agentId } };
    const waitMs = this.clock.now().getTime() - new Date(row.created_at).getTime();
    await this.hooks.emit('conversation.assigned', { conversationId: conversation.id, agentId, by, waitMs }, ctx);
    await this.hooks.emit('conversation.accepted', { conversationId: conversation.id, agentId }, ctx);
    return conversation;
  }

  private async assertBelowHardLimit(t: Tenant, agentId: number) {
    const [{ n }] = await t.q('conversations').where({ agent_id: agentId, status: 'active' }).count<{ n: string }[]>('* as n');
    if (Number(n) >= HARD_LIMIT) throw conflict('too_many_conversations', `At most ${HARD_LIMIT} open conversations`);
  }
}
