import type { DependencyContainer } from '../infra/di.ts';
import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import type { Logger } from '../infra/logger.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { HookRegistry } from '../hooks/hook-registry.ts';
import { CronSupervisor } from '../plugins/cron-supervisor.ts';
import { PRESENCE_TTL_MS } from '../presence/presence-service.ts';
import { textFor } from '../policies/policy-settings-schema.ts';
import type { Lang } from '../settings/widget-defaults.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { AssignmentService } from './assignment-service.ts';
import { ConversationQueries } from './conversation-queries.ts';
import { ConversationService } from './conversation-service.ts';
import { QueueBroadcaster } from './queue-broadcaster.ts';
import { QUEUE_CLASS } from './routing-service.ts';
import { SegmentService } from './segment-service.ts';

/** MENU-EXITCHATS-7: how long a conversation left behind waits for an agent (its own, back from a reload, or another). */
export const LEFT_GRACE_MS = 60_000;

const TRANSFERRING_TEXT: Record<Lang, string> = {
  'zh-CN': '正在为您转接其他客服,请稍候',
  'zh-TW': '正在為您轉接其他客服,請稍候',
  en: 'Transferring you to another agent…',
  ja: '別の担当者におつなぎしています。少々お待ちください…',
  ko: '다른 상담원에게 연결하고 있습니다. 잠시만 기다려 주세요…',
};

/** Sessions ended by these reasons take the agent away for good: no grace for their return (AGENT-DISABLE-6). */
const FOR_GOOD = new Set(['agent_disabled', 'agent_deleted']);

/**
 * Conversations left behind by an agent (MENU-EXITCHATS-7): when their last
 * session ends (退出, 强制下线) or their presence is lost past the heartbeat
 * bound, each ongoing conversation goes back to the queue in its first class
 * (ASSIGN-QUEUE-8) with the transcript, the visitor is told, and the agent gets
 * back on return those nobody took. Deadlines are columns of the conversation,
 * fired by a cron job under its lock, so with several nodes each fires once.
 */
@injectable()
export class LeftBehind {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Logger) private readonly log: Logger,
    @inject(RealtimeNotifier) private readonly notifier: RealtimeNotifier,
    @inject(ConversationQueries) private readonly queries: ConversationQueries,
    @inject(ConversationService) private readonly conversations: ConversationService,
    @inject(AssignmentService) private readonly assignment: AssignmentService,
    @inject(QueueBroadcaster) private readonly queue: QueueBroadcaster,
    @inject(SegmentService) private readonly segments: SegmentService,
    @inject(HookRegistry) private readonly hooks: HookRegistry,
  ) {}

  /**
   * Offers the agent's ongoing conversations to routing at the head of the queue.
   * `keepForAgent` false (disabled, deleted): they are not kept for the agent's
   * return, and neither are those already waiting for it.
   */
  async returnToRouting(companyId: number, agentId: number, keepForAgent: boolean): Promise<number[]> {
    const t = new Tenant(this.db, companyId);
    const due = new Date(this.clock.now().getTime() + LEFT_GRACE_MS);
    // The maximum wait and the 继续等待 question are for new requests; this one has its own deadline.
    const returned = await t
      .q('conversations')
      .where({ agent_id: agentId, status: 'active' })
      .update({
        status: 'queued',
        agent_id: null,
        queue_class: QUEUE_CLASS.returned,
        left_agent_id: keepForAgent ? agentId : null,
        left_due_at: due,
        queue_due_at: null,
        queue_stage: 0,
      })
      .returning(['id', 'visitor_id']);
    if (!keepForAgent) await t.q('conversations').where({ left_agent_id: agentId, status: 'queued' }).update({ left_agent_id: null });
    if (!returned.length) return [];
    const company = await t.unscoped('companies').where({ id: companyId }).first('visitor_language');
    for (const r of returned) {
      const id = Number(r.id);
      await this.segments.ended(companyId, id, 'agent_left');
      this.notifier.leaveConversation(id, { agentId });
      const visitor = await t.q('visitors').where({ id: r.visitor_id }).first('language');
      await this.conversations
        .send(
          companyId,
          id,
          { kind: 'system' },
          {
            clientId: `agent-left:${id}:${due.getTime()}`,
            kind: 'system',
            text: textFor({}, TRANSFERRING_TEXT, visitor?.language ?? null, company?.visitor_language ?? 'zh-CN'),
            payload: { event: 'agent_left', fromAgentId: agentId },
          },
        )
        // The conversation is back in the queue either way; a filter refusing the line must not stop the others.
        .catch((err) => this.log.warn({ err, conversationId: id }, 'agent-left line not sent'));
      const conversation = await this.queries.one(t, id);
      this.notifier.toVisitors(rooms.conversation(id), 'conversation.updated', { conversation });
      this.notifier.toAgents(rooms.agent(agentId), 'conversation.updated', { conversation });
    }
    await this.queue.changed(companyId);
    await this.assignment.assignWaiting(companyId);
    return returned.map((r: { id: string | number }) => Number(r.id));
  }

  /** The agent is back (a console connected): the conversations still waiting for someone within the grace are theirs again. */
  async reclaim(companyId: number, agentId: number): Promise<void> {
    const t = new Tenant(this.db, companyId);
    const now = this.clock.now();
    const back = await t
      .q('conversations')
      .where({ left_agent_id: agentId, status: 'queued' })
      .whereNull('offered_agent_id')
      .where('left_due_at', '>', now)
      .update({ status: 'active', agent_id: agentId, left_agent_id: null, left_due_at: null, queue_class: QUEUE_CLASS.normal })
      .returning(['id', 'created_at']);
    for (const r of back) {
      const id = Number(r.id);
      this.notifier.joinConversation(id, { agentId });
      const conversation = await this.queries.one(t, id);
      this.notifier.toVisitors(rooms.conversation(id), 'conversation.updated', { conversation });
      this.notifier.toAgents(rooms.agent(agentId), 'conversation.updated', { conversation });
      await this.hooks.emit(
        'conversation.assigned',
        {
          conversationId: id,
          agentId,
          by: 'sticky',
          scope: { groupId: conversation.scopeGroupId },
          waitMs: Math.max(0, now.getTime() - new Date(r.created_at).getTime()),
        },
        { companyId, actor: { kind: 'agent', id: agentId } },
      );
    }
    if (back.length) await this.queue.changed(companyId);
  }

  /** Nobody took it in time: the visitor gets the offline text and the leave-message form, and it ends `agent_left`. */
  async fireDue(): Promise<void> {
    const { rows } = await this.db.raw(
      `update conversations c set left_due_at = null, left_agent_id = null
        where c.id in (select id from conversations where left_due_at <= ? order by left_due_at limit 100 for update skip locked)
        returning c.id, c.company_id, c.status`,
      [this.clock.now()],
    );
    for (const r of rows) {
      if (r.status !== 'queued') continue;
      await this.conversations
        .end(Number(r.company_id), Number(r.id), { kind: 'system' }, 'agent_left', { whileQueued: true })
        .catch((err) => this.log.warn({ err, conversationId: r.id }, 'ending a conversation left behind failed'));
    }
  }

  /**
   * MAIN-PRESENCE-7: agents serving conversations whose last console closed, or
   * last heartbeat came, longer ago than the presence bound (a crashed tab, a
   * lost network or node). A reload inside the bound clears `gone_at`. An agent
   * whose console is still connected to a live node is not lost, however late
   * that node's heartbeat write.
   */
  async sweepLost(): Promise<void> {
    const rows = await this.db('conversations as c')
      .join('agent_presence as p', 'p.agent_id', 'c.agent_id')
      .where('c.status', 'active')
      .whereRaw('greatest(p.gone_at, p.heartbeat_at) < ?', [new Date(this.clock.now().getTime() - PRESENCE_TTL_MS)])
      .distinct('c.company_id', 'c.agent_id');
    for (const r of rows)
      if (!(await this.notifier.agentHasSockets(Number(r.agent_id)))) await this.returnToRouting(Number(r.company_id), Number(r.agent_id), true);
  }

  /**
   * Is the agent still at a console on another session (another device, within the presence bound)? A
   * session left open without a console does not keep the conversations; the presence sweep would return them anyway.
   */
  private async signedIn(companyId: number, agentId: number): Promise<boolean> {
    return !!(await new Tenant(this.db, companyId)
      .q('sessions')
      .where({ agent_id: agentId })
      .whereNull('ended_at')
      .whereNotNull('present_at')
      .where('expires_at', '>', this.clock.now())
      .first('id'));
  }

  /** 退出 or 强制下线 of the agent's last session; disabling and deleting come through `agent.changed`. */
  async loggedOut(companyId: number, agentId: number, reason: string): Promise<void> {
    if (FOR_GOOD.has(reason) || (await this.signedIn(companyId, agentId))) return;
    await this.returnToRouting(companyId, agentId, true);
  }

  /** AGENT-DISABLE-6: conversations go back to routing without waiting for the agent, and their leave-messages become unassigned (LEAVEMSG-ASSIGN-7). */
  async disabled(companyId: number, agentId: number): Promise<void> {
    await this.returnToRouting(companyId, agentId, false);
    await new Tenant(this.db, companyId).q('leave_messages').where({ handler_id: agentId }).update({ handler_id: null });
  }
}

/** Hooks and the timer job (one node per tick); called once per node from server.ts. */
export function registerLeftBehind(c: DependencyContainer): void {
  const left = c.resolve(LeftBehind);
  const hooks = c.resolve(HookRegistry);
  hooks.addAction('agent.logout', (e, { companyId }) => left.loggedOut(companyId, e.agentId, e.reason), { owner: 'core' });
  hooks.addAction(
    'agent.changed',
    async (e, { companyId }) => {
      if (e.kind === 'disabled' || e.kind === 'deleted') await left.disabled(companyId, e.agentId);
    },
    { owner: 'core' },
  );
  c.resolve(CronSupervisor).schedule('core', 'left-behind', '* * * * * *', async () => {
    await left.sweepLost();
    await left.fireDue();
  });
}
