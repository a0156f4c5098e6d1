import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import { ConversationQueries } from './conversation-queries.ts';
import { readChatSettings } from './chat-settings.ts';

/**
 * After any change to a company's queue: agents get the new waiting list and
 * every waiting visitor their position (ASSIGN-POSITION-9), on every node.
 */
@injectable()
export class QueueBroadcaster {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(ConversationQueries) private readonly queries: ConversationQueries,
    @inject(RealtimeNotifier) private readonly notifier: RealtimeNotifier,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {}

  async changed(companyId: number): Promise<void> {
    const t = new Tenant(this.db, companyId);
    const waiting = await this.queries.waiting(t);
    // Each console gets the requests its agent is a candidate for (GROUP-SCOPE-5, TOOLBAR-WAITING-2).
    const [agents, members] = await Promise.all([
      t.q('agents').whereNull('deleted_at').whereNull('disabled_at').select('id'),
      t.q('group_members').select('group_id', 'agent_id'),
    ]);
    const inGroup = new Set(members.map((m: any) => `${m.group_id}:${m.agent_id}`));
    for (const a of agents) {
      const mine = waiting.filter((c) => c.scopeGroupId == null || inGroup.has(`${c.scopeGroupId}:${a.id}`));
      this.notifier.toAgents(rooms.agent(Number(a.id)), 'queue.changed', { waiting: mine });
    }
    const estimate = await this.shownEstimate(companyId);
    // `waiting` is in queue order, so the position is the index.
    waiting.forEach((c, i) =>
      this.notifier.toVisitors(rooms.visitor(c.visitorId), 'queue.position', { conversationId: c.id, position: i + 1, estimatedWaitMinutes: estimate }),
    );
  }

  /** The estimate waiting visitors are told: null unless the company shows it (显示预计等待时间). */
  async shownEstimate(companyId: number): Promise<number | null> {
    const company = await this.db('companies').where({ id: companyId }).first('chat_settings');
    return readChatSettings(company?.chat_settings).showEstimatedWait ? this.estimatedWaitMinutes(companyId) : null;
  }

  /** ASSIGN-POSITION-9: median wait of the last 20 chats connected in 24 h, whole minutes up; none under 5 of them. */
  async estimatedWaitMinutes(companyId: number): Promise<number | null> {
    const rows = await this.db('conversations')
      .where({ company_id: companyId })
      .whereNotNull('accepted_at')
      .where('accepted_at', '>', new Date(this.clock.now().getTime() - 86400_000))
      .orderBy('accepted_at', 'desc')
      .limit(20)
      .select(this.db.raw('extract(epoch from (accepted_at - created_at)) as s'));
    if (rows.length < 5) return null;
    const waits = rows.map((r: { s: string | number }) => Number(r.s)).sort((a, b) => a - b);
    const mid = waits.length / 2;
    const median = waits.length % 2 ? waits[Math.floor(mid)] : (waits[mid - 1] + waits[mid]) / 2;
    return Math.max(1, Math.ceil(median / 60));
  }
}
