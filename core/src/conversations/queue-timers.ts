import type { Namespace, Socket } from 'socket.io';
import { inject, injectable, type DependencyContainer } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import type { Logger } from '../infra/logger.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { conflict } from '../http/errors.ts';
import { CronSupervisor } from '../plugins/cron-supervisor.ts';
import { HEARTBEAT_MS } from '../presence/presence-service.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { ConversationService } from './conversation-service.ts';
import { RoutingService } from './routing-service.ts';
import type { VisitorCaller } from './visitor-event-handlers.ts';

/** ASSIGN-LEAVE-11: a queued visitor whose last window closed keeps their place this long (page navigation). */
export const QUEUE_AWAY_MS = 30_000;
/** A visitor unseen this long has no live connection even if its node died without a disconnect event. */
const STALE_MS = 2 * HEARTBEAT_MS + 5000;
/** conversations.queue_stage: still in the first period, asked 继续等待 / 留言, chose to keep waiting. */
const STAGE = { waiting: 0, asked: 1, continued: 2 } as const;

type VisitorRef = { id: number; companyId: number };

/**
 * Leaving the queue and its time limits (ASSIGN-OVERFLOW-10, ASSIGN-LEAVE-11,
 * CONV-QUEUE-7). Deadlines are columns of the conversation, claimed by the
 * timer job under the cron lock, so with several nodes each fires once.
 */
@injectable()
export class QueueTimers {
  private ns: Namespace | null = null;

  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Logger) private readonly log: Logger,
    @inject(RealtimeNotifier) private readonly notifier: RealtimeNotifier,
    @inject(ConversationService) private readonly conversations: ConversationService,
    @inject(RoutingService) private readonly routing: RoutingService,
  ) {}

  /** Follows the widget's connections on this node. */
  watch(ns: Namespace): void {
    this.ns = ns;
    ns.on('connection', (socket) => {
      const visitor = (socket.data.caller as VisitorCaller).visitor;
      void this.back(visitor, socket).catch((err) => this.log.warn({ err }, 'keeping a queued visitor failed'));
      socket.on('disconnect', (reason) => {
        // A node shutting down is not the visitor leaving: they reconnect elsewhere, and the stale sweep covers those who do not.
        if (reason === 'server namespace disconnect' || reason === 'server shutting down') return;
        void this.away(visitor).catch((err) => this.log.warn({ err }, 'marking a queued visitor away failed'));
      });
    });
  }

  private async connected(visitorId: number): Promise<boolean> {
    if (!this.ns) return true;
    return (await this.ns.in(rooms.visitor(visitorId)).fetchSockets()).length > 0;
  }

  private waitingOf(v: VisitorRef) {
    return new Tenant(this.db, v.companyId).q('conversations').where({ visitor_id: v.id, status: 'queued', channel: 'web' });
  }

  /** The last connection dropped: the place is kept QUEUE_AWAY_MS. */
  async away(v: VisitorRef): Promise<void> {
    if (await this.connected(v.id)) return;
    await this.waitingOf(v)
      .whereNull('queue_away_until')
      .update({ queue_away_until: new Date(this.clock.now().getTime() + QUEUE_AWAY_MS) });
  }

  /**
   * Back in time: the place is theirs again, and an unanswered 继续等待 / 留言 question is asked again — on this socket
   * itself, since it joins the visitor's room only after the gateway's own queries.
   */
  async back(v: VisitorRef, socket: Socket): Promise<void> {
    const [row] = await this.waitingOf(v).update({ queue_away_until: null }).returning(['id', 'queue_stage', 'queue_due_at']);
    if (row?.queue_stage === STAGE.asked) socket.emit('queue.prompt', prompt(Number(row.id), row.queue_due_at));
  }

  private ask(visitorId: number, conversationId: number, answerBy: Date | string | null) {
    this.notifier.toVisitors(rooms.visitor(visitorId), 'queue.prompt', prompt(conversationId, answerBy));
  }

  /** 取消排队, or 留言 (CONV-QUEUE-7): ends the request at once; 留言 answering the maximum-wait question is a timeout. */
  async leave(companyId: number, visitorId: number, conversationId: number, leaveMessage: boolean) {
    const row = await new Tenant(this.db, companyId).q('conversations').where({ id: conversationId, visitor_id: visitorId }).first('queue_stage');
    const reason = leaveMessage && row?.queue_stage === STAGE.asked ? 'queue_timeout' : 'queue_left';
    return this.conversations.end(companyId, conversationId, { kind: 'visitor', visitorId }, reason, { whileQueued: true });
  }

  /** 继续等待: one more period of the maximum wait; when it runs out the request ends with `queue_timeout`. */
  async keepWaiting(companyId: number, visitorId: number, conversationId: number): Promise<{ waitUntil: string | null }> {
    const { maxWaitSeconds } = await this.routing.settings(companyId);
    const waitUntil = maxWaitSeconds ? new Date(this.clock.now().getTime() + maxWaitSeconds * 1000) : null;
    const rows = await new Tenant(this.db, companyId)
      .q('conversations')
      .where({ id: conversationId, visitor_id: visitorId, status: 'queued', queue_stage: STAGE.asked })
      .update({ queue_stage: STAGE.continued, queue_due_at: waitUntil })
      .returning('id');
    if (!rows.length) throw conflict('not_asked', 'This request is not waiting for that answer');
    return { waitUntil: waitUntil?.toISOString() ?? null };
  }

  /** Maximum waits reached (ask, or end after the second period) and places kept too long (end). */
  async fireDue(): Promise<void> {
    const now = this.clock.now();
    // Offers out to an agent keep their deadline until they are confirmed or lapse; chats no longer waiting just drop it.
    const { rows: due } = await this.db.raw(
      `update conversations c set queue_due_at = null
        where c.id in (select id from conversations where queue_due_at <= ? and offered_agent_id is null order by queue_due_at limit 100 for update skip locked)
        returning c.id, c.company_id, c.visitor_id, c.status, c.served_by_plugin, c.queue_stage`,
      [now],
    );
    for (const r of due) {
      if (r.status !== 'queued' || r.served_by_plugin) continue;
      const companyId = Number(r.company_id);
      const { maxWaitSeconds } = await this.routing.settings(companyId);
      if (r.queue_stage === STAGE.waiting && maxWaitSeconds) {
        const answerBy = new Date(now.getTime() + maxWaitSeconds * 1000);
        await this.db('conversations').where({ id: r.id, status: 'queued' }).update({ queue_stage: STAGE.asked, queue_due_at: answerBy });
        this.ask(Number(r.visitor_id), Number(r.id), answerBy);
      } else if (r.queue_stage !== STAGE.waiting) await this.endQueued(companyId, Number(r.id), 'queue_timeout');
    }
    const { rows: gone } = await this.db.raw(
      `update conversations c set queue_away_until = null
        where c.id in (select id from conversations where queue_away_until <= ? limit 100 for update skip locked)
        returning c.id, c.company_id, c.visitor_id, c.status`,
      [now],
    );
    for (const r of gone)
      if (r.status === 'queued' && !(await this.connected(Number(r.visitor_id)))) await this.endQueued(Number(r.company_id), Number(r.id), 'queue_left');
  }

  private endQueued(companyId: number, conversationId: number, reason: string) {
    return this.conversations
      .end(companyId, conversationId, { kind: 'system' }, reason, { whileQueued: true })
      .catch((err) => this.log.warn({ err, conversationId, reason }, 'ending a queued request failed'));
  }

  /** Safety net: queued visitors whose heartbeats stopped (their node died) and who are not marked away yet. */
  async sweepStale(): Promise<void> {
    const rows = await this.db('conversations as c')
      .join('visitors as v', 'v.id', 'c.visitor_id')
      .where({ 'c.status': 'queued', 'c.channel': 'web' })
      .whereNull('c.queue_away_until')
      .where('v.last_seen_at', '<', new Date(Date.now() - STALE_MS))
      .limit(200)
      .select('c.visitor_id', 'c.company_id');
    for (const r of rows) await this.away({ id: Number(r.visitor_id), companyId: Number(r.company_id) });
  }
}

/** The queue's timer jobs (one node per tick) and connection watch; called once per node from server.ts. */
export function registerQueueJobs(c: DependencyContainer, visitors: Namespace): void {
  const timers = c.resolve(QueueTimers);
  timers.watch(visitors);
  const cron = c.resolve(CronSupervisor);
  cron.schedule('core', 'queue-timers', '* * * * * *', () => timers.fireDue());
  cron.schedule('core', 'queue-sweep', '5,15,25,35,45,55 * * * * *', () => timers.sweepStale());
}

const prompt = (conversationId: number, answerBy: Date | string | null) => ({
  conversationId,
  answerBy: answerBy ? new Date(answerBy).toISOString() : null,
});
