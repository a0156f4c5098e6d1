import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { notFound } from '../http/errors.ts';
import { readChatSettings } from './chat-settings.ts';

/** MAIN-SETTINGS-10: a changed setting applies on every node within 5 seconds. */
const SETTING_TTL_MS = 5_000;

/**
 * 实时查看 (CONV-LIVEVIEW-21): the visitor's unsent input goes to the consoles of the conversation's room only while the
 * company allows live view (允许实时查看) and the serving agent switched it on for the conversation; otherwise only a
 * typing signal. The draft is relayed, never stored, logged or given to a hook.
 */
@injectable()
export class LiveView {
  private cache = new Map<number, { allowed: boolean; at: number }>();

  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(RealtimeNotifier) private readonly notifier: RealtimeNotifier,
  ) {}

  async allowed(companyId: number): Promise<boolean> {
    const now = this.clock.now().getTime();
    const hit = this.cache.get(companyId);
    if (hit && now - hit.at < SETTING_TTL_MS) return hit.allowed;
    const row = await this.db('companies').where({ id: companyId }).first('chat_settings');
    const allowed = readChatSettings(row?.chat_settings).liveView;
    this.cache.set(companyId, { allowed, at: now });
    return allowed;
  }

  /** Saving the setting on this node applies at once here; other nodes follow within the TTL. */
  forget(companyId: number): void {
    this.cache.delete(companyId);
  }

  /** The serving agent's toggle: tells the visitor's window whether to send the draft or only the signal. */
  async set(companyId: number, agentId: number, conversationId: number, on: boolean): Promise<{ on: boolean }> {
    const conv = await new Tenant(this.db, companyId).q('conversations').where({ id: conversationId, agent_id: agentId, status: 'active' }).first('id');
    if (!conv) throw notFound('Conversation not found');
    const effective = on && (await this.allowed(companyId));
    this.notifier.toVisitors(rooms.conversation(conversationId), 'liveview', { conversationId, on: effective });
    return { on: effective };
  }

  /** A visitor's typing: the draft when allowed and sent, else null (the signal alone). */
  async relay(companyId: number, visitorId: number, conversationId: number, text: string | undefined): Promise<void> {
    const conv = await new Tenant(this.db, companyId)
      .q('conversations')
      .where({ id: conversationId, visitor_id: visitorId })
      .whereNot('status', 'ended')
      .first('id');
    if (!conv) return;
    const draft = text !== undefined && (await this.allowed(companyId)) ? text : null;
    this.notifier.toAgents(rooms.conversation(conversationId), 'visitor.typing', { conversationId, text: draft });
  }
}
