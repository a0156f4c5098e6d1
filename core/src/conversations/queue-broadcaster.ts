import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS } from '../tokens.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import { ConversationQueries } from './conversation-queries.ts';

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
  ) {}

  async changed(companyId: number): Promise<void> {
    const waiting = await this.queries.waiting(new Tenant(this.db, companyId));
    this.notifier.toAgents(rooms.company(companyId), 'queue.changed', { waiting });
    // `waiting` is in queue order, so the position is the index.
    waiting.forEach((c, i) => this.notifier.toVisitors(rooms.visitor(c.visitorId), 'queue.position', { conversationId: c.id, position: i + 1 }));
  }
}
