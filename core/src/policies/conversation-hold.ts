import type { Namespace } from 'socket.io';
import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import type { Logger } from '../infra/logger.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { ConversationService } from '../conversations/conversation-service.ts';
import type { VisitorCaller } from '../conversations/visitor-event-handlers.ts';
import { HEARTBEAT_MS } from '../presence/presence-service.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { PolicySettingsService } from './policy-settings-service.ts';
import { PolicyState } from './policy-state.ts';

/** With hold off, a fixed grace covers page navigation (P2-A33). */
export const NO_HOLD_GRACE_MS = 30_000;
/** A visitor unseen this long has no live connection even if its node died without a disconnect event. */
const STALE_MS = 2 * HEARTBEAT_MS + 5000;

type VisitorRef = { id: number; companyId: number };

/**
 * POLICY-HOLD-8: when a visitor's last connection drops, their active chat is
 * held (it stays with its agent) until the hold time passes, then ends with
 * `visitor_left`; coming back with the same token resumes it. Disconnects are
 * seen on the socket; a sweep over heartbeats covers nodes that died.
 */
@injectable()
export class ConversationHold {
  private ns: Namespace | null = null;

  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Logger) private readonly log: Logger,
    @inject(PolicyState) private readonly state: PolicyState,
    @inject(PolicySettingsService) private readonly settings: PolicySettingsService,
    @inject(RealtimeNotifier) private readonly notifier: RealtimeNotifier,
    @inject(ConversationService) private readonly conversations: ConversationService,
  ) {}

  /** Follows the widget's connections on this node. */
  watch(ns: Namespace): void {
    this.ns = ns;
    ns.on('connection', (socket) => {
      const visitor = (socket.data.caller as VisitorCaller).visitor;
      void this.resume(visitor).catch((err) => this.log.warn({ err }, 'resuming a held conversation failed'));
      socket.on('disconnect', (reason) => {
        // A node shutting down is not the visitor leaving: they reconnect elsewhere, and the stale sweep covers those who do not.
        if (reason === 'server namespace disconnect' || reason === 'server shutting down') return;
        void this.maybeHold(visitor).catch((err) => this.log.warn({ err }, 'holding a conversation failed'));
      });
    });
  }

  /** Whether the visitor has a live widget connection on any node (through the adapter). */
  private async connected(visitorId: number): Promise<boolean> {
    if (!this.ns) return true;
    return (await this.ns.in(rooms.visitor(visitorId)).fetchSockets()).length > 0;
  }

  private openActive(v: VisitorRef) {
    return new Tenant(this.db, v.companyId).q('conversations').where({ visitor_id: v.id, status: 'active', channel: 'web' }).first('id', 'agent_id');
  }

  async maybeHold(v: VisitorRef): Promise<void> {
    if (await this.connected(v.id)) return;
    const conv = await this.openActive(v);
    if (!conv) return;
    const current = await this.state.get(v.companyId, Number(conv.id));
    if (current?.held_since) return;
    const hold = (await this.settings.read(v.companyId)).hold;
    const now = this.clock.now();
    const holdUntil = new Date(now.getTime() + (hold.enabled ? hold.minutes * 60_000 : NO_HOLD_GRACE_MS));
    await this.state.set(v.companyId, Number(conv.id), { held_since: now, hold_until: holdUntil });
    this.notifier.toAgents(rooms.conversation(Number(conv.id)), 'conversation.held', { conversationId: Number(conv.id), holdUntil: holdUntil.toISOString() });
  }

  async resume(v: VisitorRef): Promise<void> {
    const conv = await this.openActive(v);
    if (!conv) return;
    if (!(await this.isHeld(v.companyId, Number(conv.id)))) return;
    await this.state.update(v.companyId, Number(conv.id), {}, { held_since: null, hold_until: null });
    this.notifier.toAgents(rooms.conversation(Number(conv.id)), 'conversation.resumed', { conversationId: Number(conv.id) });
  }

  /** Whether the conversation is held now (its visitor gone). */
  async isHeld(companyId: number, conversationId: number): Promise<boolean> {
    return !!(await this.state.get(companyId, conversationId))?.held_since;
  }

  /** Ends the holds that ran out, unless the visitor came back meanwhile. */
  async expireDue(): Promise<void> {
    for (const row of await this.state.claimDue('hold_until', this.clock.now())) {
      const companyId = Number(row.company_id);
      const conv = await new Tenant(this.db, companyId).q('conversations').where({ id: row.conversation_id }).first('visitor_id', 'status');
      if (!conv || conv.status === 'ended' || !row.held_since) continue;
      if (await this.connected(Number(conv.visitor_id))) {
        await this.resume({ id: Number(conv.visitor_id), companyId });
        continue;
      }
      await this.conversations
        .end(companyId, Number(row.conversation_id), { kind: 'system' }, 'visitor_left')
        .catch((err) => this.log.warn({ err, conversationId: row.conversation_id }, 'ending a held conversation failed'));
    }
  }

  /** Safety net: visitors whose heartbeats stopped (their node died) and whose chat is not held yet. */
  async sweepStale(): Promise<void> {
    const rows = await this.db('conversations as c')
      .join('visitors as v', 'v.id', 'c.visitor_id')
      .leftJoin('conversation_policy_state as s', 's.conversation_id', 'c.id')
      .where({ 'c.status': 'active', 'c.channel': 'web' })
      .whereNull('s.held_since')
      .where('v.last_seen_at', '<', new Date(Date.now() - STALE_MS))
      .limit(200)
      .select('c.visitor_id', 'c.company_id');
    for (const r of rows) await this.maybeHold({ id: Number(r.visitor_id), companyId: Number(r.company_id) });
  }
}
