import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import type { Logger } from '../infra/logger.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { AppError, conflict, notFound } from '../http/errors.ts';
import { HookRegistry } from '../hooks/hook-registry.ts';
import type { Actor } from '../hooks/hook-types.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import type { ConversationView, MessageView } from '../protocol/message-schemas.ts';
import { AssignmentService } from './assignment-service.ts';
import { ConversationQueries } from './conversation-queries.ts';
import { QueueBroadcaster } from './queue-broadcaster.ts';
import { MessageStore, type AppendGuard, type AppendResult, type NewMessage } from './message-store.ts';
import { MonitorService } from './monitor-service.ts';
import { QueueLimits } from './queue-limits.ts';
import { GroupOverflow } from './group-overflow.ts';
import { isHelping } from './helper-membership.ts';

export type Sender =
  | { kind: 'visitor'; visitorId: number }
  | { kind: 'agent'; agentId: number; nickname: string; isAdmin: boolean }
  | { kind: 'plugin'; pluginId: string; name: string }
  | { kind: 'system' };

/** Conversation lifecycle (queued → active → ended) and messages (SPEC §2.3). */
@injectable()
export class ConversationService {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Logger) private readonly log: Logger,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(HookRegistry) private readonly hooks: HookRegistry,
    @inject(MessageStore) private readonly store: MessageStore,
    @inject(ConversationQueries) private readonly queries: ConversationQueries,
    @inject(AssignmentService) private readonly assignment: AssignmentService,
    @inject(RealtimeNotifier) private readonly notifier: RealtimeNotifier,
    @inject(QueueBroadcaster) private readonly queue: QueueBroadcaster,
    @inject(MonitorService) private readonly monitors: MonitorService,
    @inject(QueueLimits) private readonly limits: QueueLimits,
    @inject(GroupOverflow) private readonly overflow: GroupOverflow,
  ) {}

  /** CONV-REQUEST-4: a repeated request returns the open conversation (unique index, not check-then-act). */
  async request(
    companyId: number,
    visitor: { id: number; channel: string },
    opts: { groupId?: number | null; iconId?: number | null; agentId?: number | null; initiator?: string } = {},
  ): Promise<{ conversation: ConversationView; created: boolean }> {
    const t = new Tenant(this.db, companyId);
    const open = await this.queries.openOfVisitor(t, visitor.id);
    if (open) return { conversation: open, created: false };
    const { queueDueAt } = await this.limits.admit(companyId, visitor, opts.groupId ?? null);
    const overflow = await this.overflow.atRequest(companyId, opts.groupId ?? null);
    let id: number;
    try {
      const [row] = await t
        .insert('conversations', {
          visitor_id: visitor.id,
          channel: visitor.channel,
          status: 'queued',
          initiator: opts.initiator ?? 'visitor',
          group_id: opts.groupId ?? null,
          // The icon the chat came from: icon-routing.ts keeps an agent-bound icon's chats with its agent.
          icon_id: opts.iconId ?? null,
          // ICON-GROUP-6: the group-icon agent entry picked, kept with its agent the same way.
          scope_agent_id: opts.agentId ?? null,
          created_at: this.clock.now(),
          queue_due_at: queueDueAt,
          ...overflow,
        })
        .returning('id');
      id = Number(row.id);
    } catch (err: any) {
      if (err?.code !== '23505') throw err;
      const again = await this.queries.openOfVisitor(t, visitor.id);
      if (!again) throw err;
      return { conversation: again, created: false };
    }
    this.notifier.joinConversation(id, { visitorId: visitor.id });
    const scopeGroupId = overflow ? overflow.overflow_group_id : (opts.groupId ?? null);
    await this.limits.classify(companyId, { id, visitor_id: visitor.id, channel: visitor.channel, group_id: scopeGroupId });
    await this.hooks.emit(
      'conversation.created',
      { conversationId: id, visitorId: visitor.id, channel: visitor.channel },
      { companyId, actor: { kind: 'visitor', id: visitor.id } },
    );
    await this.queue.changed(companyId);
    await this.assignment.assignWaiting(companyId);
    return { conversation: await this.queries.one(t, id), created: true };
  }

  /**
   * Stores, then fans out; `message.beforeSend` may rewrite or stop it first.
   * Without filters the whole send is one statement (MessageStore.append checks
   * the sender's right to write in it); a filter needs the conversation first.
   */
  async send(companyId: number, conversationId: number, sender: Sender, m: Omit<NewMessage, 'senderKind' | 'senderId' | 'senderName'>): Promise<MessageView> {
    const t = new Tenant(this.db, companyId);
    const who = describeSender(sender);
    let text = m.text;
    let payload = m.payload ?? null;
    if (this.hooks.hasFilters('message.beforeSend')) {
      const conv = await this.assertParticipant(t, conversationId, sender, { helpers: true });
      const existing = await t.q('messages').where({ conversation_id: conversationId, client_id: m.clientId }).first('id');
      if (!existing) {
        const f = await this.hooks.runFilter(
          'message.beforeSend',
          { conversationId, visitorId: Number(conv.visitor_id), channel: conv.channel, senderKind: who.kind, senderId: who.id, kind: m.kind, text, payload },
          { companyId, actor: who.actor },
        );
        if (f.halted)
          throw f.halt.error
            ? new AppError(f.halt.error.status, f.halt.error.code, f.halt.error.message, f.halt.error.extra)
            : conflict('message_blocked', f.halt.reason);
        text = f.value.text;
        payload = f.value.payload;
      }
    }
    const row = { ...m, text, payload, senderKind: who.kind, senderId: who.id, senderName: who.name };
    let stored: AppendResult;
    try {
      stored = await this.store.append(
        t,
        conversationId,
        row,
        // An agent's automatic message (CHATSET-AUTORULES-3) is not their first response.
        { guard: who.guard, firstReplyAt: sender.kind === 'agent' && !payload?.automatic ? this.clock.now() : undefined, early: true },
      );
    } catch (err: any) {
      // Only a send the serving-agent guard refused looks for a helper (CONV-JOIN-34): the serving agent's and the
      // visitor's sends stay one statement. A helper's message is not the conversation's first reply.
      if (!(sender.kind === 'agent' && err?.code === 'not_found' && (await isHelping(t, conversationId, sender.agentId)))) throw err;
      stored = await this.store.append(t, conversationId, row, { guard: 'any', early: true });
    }
    if (stored.duplicate) {
      await stored.durable;
      return stored.message;
    }
    const { message, conversation } = stored;
    // The other side sees it as soon as it is committed; the sender's ack, and plugins, once it is on disk.
    this.fanOut(message);
    await stored.durable;
    // Not awaited: plugins (robot, channel delivery) must not delay the sender's ack; emit isolates failures.
    void this.hooks.emit(
      'message.created',
      {
        conversationId,
        messageId: message.id,
        seq: message.seq,
        channel: conversation.channel,
        initiator: conversation.initiator,
        agentId: conversation.agentId,
        senderKind: who.kind,
        kind: message.kind,
        text: message.text,
        payload: message.payload,
      },
      { companyId, actor: { kind: 'system' } },
    );
    return message;
  }

  /**
   * CONV-END-26 / CONV-VISITOREND-27: ending twice, or on two nodes at once, produces one end.
   * Besides the participants, a monitor of the serving agent may end it.
   */
  async end(companyId: number, conversationId: number, by: Sender, reason: string, opts: { whileQueued?: boolean } = {}): Promise<ConversationView> {
    const t = new Tenant(this.db, companyId);
    if (!(by.kind === 'agent' && (await this.monitorsItsAgent(t, conversationId, by.agentId)))) await this.assertParticipant(t, conversationId, by);
    const endedBy = by.kind === 'agent' ? `agent:${by.agentId}` : by.kind === 'visitor' ? 'visitor' : by.kind === 'plugin' ? `plugin:${by.pluginId}` : 'system';
    // Leaving the queue must not end a chat an agent took a moment ago (ASSIGN-LEAVE-11).
    const q = t.q('conversations').where({ id: conversationId });
    if (opts.whileQueued) q.where('status', 'queued');
    else q.whereNot('status', 'ended');
    const rows = await q.update({ status: 'ended', ended_at: this.clock.now(), ended_by: endedBy, end_reason: reason }).returning(['id', 'agent_id']);
    if (!rows.length && opts.whileQueued) throw conflict('not_queued', 'This request is no longer waiting');
    if (!rows.length) throw conflict('conversation_ended', 'This conversation has ended');
    const conversation = await this.queries.one(t, conversationId);
    this.notifier.toVisitors(rooms.conversation(conversationId), 'conversation.updated', { conversation });
    this.notifier.toAgents(rooms.conversation(conversationId), 'conversation.updated', { conversation });
    await this.queue.changed(companyId);
    await this.hooks.emit('conversation.ended', { conversationId, endedBy, reason }, { companyId, actor: { kind: 'system' } });
    // The agent has a free slot now (ASSIGN-TRIGGER-12).
    if (rows[0].agent_id) await this.assignment.assignWaiting(companyId);
    return conversation;
  }

  /** `page`: the messages before a seq instead of those after one, for reading a long transcript from its end. */
  async sync(companyId: number, conversationId: number, who: Sender, afterSeq: number, page?: { beforeSeq: number; limit: number }) {
    const t = new Tenant(this.db, companyId);
    await this.assertParticipant(t, conversationId, who, { allowEnded: true, helpers: true });
    const forVisitor = who.kind === 'visitor';
    return {
      conversation: await this.queries.one(t, conversationId),
      messages: page
        ? await this.store.before(t, conversationId, page.beforeSeq, { forVisitor, limit: page.limit })
        : await this.store.after(t, conversationId, afterSeq, { forVisitor }),
    };
  }

  async markRead(companyId: number, agentId: number, conversationId: number, seq: number) {
    const t = new Tenant(this.db, companyId);
    const conv = await t.q('conversations').where({ id: conversationId }).first('last_seq');
    if (!conv) throw notFound('Conversation not found');
    const upto = Math.min(seq, Number(conv.last_seq));
    await this.db.raw(
      `insert into conversation_reads (conversation_id, agent_id, company_id, last_read_seq) values (?, ?, ?, ?)
       on conflict (conversation_id, agent_id) do update set last_read_seq = greatest(conversation_reads.last_read_seq, excluded.last_read_seq)`,
      [conversationId, agentId, companyId, upto],
    );
    // The agent's other tabs and devices drop the same unread marks (MAIN-TABS-6).
    this.notifier.toAgents(rooms.agent(agentId), 'conversation.readUpTo', { conversationId, seq: upto });
  }

  private fanOut(message: MessageView) {
    const room = rooms.conversation(message.conversationId);
    this.notifier.toAgents(room, 'message', { message });
    if (message.kind !== 'whisper') this.notifier.toVisitors(room, 'message', { message });
  }

  private async monitorsItsAgent(t: Tenant, conversationId: number, agentId: number): Promise<boolean> {
    const conv = await t.q('conversations').where({ id: conversationId }).first('agent_id');
    return !!conv && (await this.monitors.isWatching(t, agentId, conv.agent_id == null ? null : Number(conv.agent_id)));
  }

  /** Only the conversation's visitor, its agent (or an admin) may act on it — with `helpers`, its helpers too (CONV-JOIN-34); others get not_found. */
  private async assertParticipant(t: Tenant, conversationId: number, who: Sender, opts: { allowEnded?: boolean; helpers?: boolean } = {}) {
    const conv = await t.q('conversations').where({ id: conversationId }).first();
    const allowed =
      conv &&
      (who.kind === 'system' ||
        who.kind === 'plugin' ||
        (who.kind === 'visitor' && Number(conv.visitor_id) === who.visitorId) ||
        (who.kind === 'agent' &&
          (Number(conv.agent_id) === who.agentId || who.isAdmin || (!!opts.helpers && (await isHelping(t, conversationId, who.agentId))))));
    if (!allowed) throw notFound('Conversation not found');
    if (conv.status === 'ended' && !opts.allowEnded) throw conflict('conversation_ended', 'This conversation has ended');
    return conv;
  }
}

/** The sender as stored on the message, as a hook actor, and as the store's write guard. */
function describeSender(sender: Sender): { kind: Sender['kind']; id: string | null; name: string | null; actor: Actor; guard: AppendGuard } {
  switch (sender.kind) {
    case 'visitor':
      return {
        kind: 'visitor',
        id: String(sender.visitorId),
        name: null,
        actor: { kind: 'visitor', id: sender.visitorId },
        guard: { visitorId: sender.visitorId },
      };
    case 'agent':
      return {
        kind: 'agent',
        id: String(sender.agentId),
        name: sender.nickname,
        actor: { kind: 'agent', id: sender.agentId },
        guard: sender.isAdmin ? 'any' : { agentId: sender.agentId },
      };
    case 'plugin':
      return { kind: 'plugin', id: sender.pluginId, name: sender.name, actor: { kind: 'plugin', id: sender.pluginId }, guard: 'any' };
    default:
      return { kind: 'system', id: null, name: null, actor: { kind: 'system' }, guard: 'any' };
  }
}
