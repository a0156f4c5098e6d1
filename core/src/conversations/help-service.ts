import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import type { Logger } from '../infra/logger.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { AppError, conflict, notFound } from '../http/errors.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import type { HelpRequestView } from '../protocol/collab-events.ts';
import type { ConversationView } from '../protocol/message-schemas.ts';
import { HARD_LIMIT } from './chat-settings.ts';
import { agentsById, TAKING_STATUSES, transferTargets, TRANSFER_TIMEOUT_MS, type Actor } from './collab-support.ts';
import { ConversationQueries } from './conversation-queries.ts';
import { ConversationService } from './conversation-service.ts';
import { isHelping, MAX_HELPERS } from './helper-membership.ts';
import { MonitorService } from './monitor-service.ts';
import { RoutingService } from './routing-service.ts';

type Outcome = { kind: 'ok'; row: any } | { kind: 'refused'; error: AppError; closed?: any };

const OPEN = ['pending', 'accepted'];

/**
 * 邀请协助 (CONV-JOIN-34). The serving agent asks up to three colleagues, each
 * eligible as a transfer target; each answers like a transfer (CONV-TRANSFER-30:
 * accept, reject with a reason, or the timeout rejects it). An accepted helper's
 * sockets join the conversation's room, read the whole transcript, write to the
 * visitor (the message path lets a helper through only after the serving-agent
 * guard refused, see ConversationService.send) and whisper, and leave with 退出协助,
 * or automatically when the conversation is transferred or ends. One row per
 * request in `conversation_helpers`; the `accepted` ones are the helpers.
 */
@injectable()
export class HelpService {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Logger) private readonly log: Logger,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(RoutingService) private readonly routing: RoutingService,
    @inject(ConversationQueries) private readonly queries: ConversationQueries,
    @inject(ConversationService) private readonly conversations: ConversationService,
    @inject(MonitorService) private readonly monitors: MonitorService,
    @inject(RealtimeNotifier) private readonly notifier: RealtimeNotifier,
  ) {}

  async invite(actor: Actor, p: { conversationId: number; agentIds: number[]; note?: string }): Promise<HelpRequestView[]> {
    const t = new Tenant(this.db, actor.companyId);
    const conv = await t.q('conversations').where({ id: p.conversationId }).first();
    if (!conv || (Number(conv.agent_id) !== actor.agentId && !actor.isAdmin)) throw notFound('Conversation not found');
    if (conv.status === 'ended') throw conflict('conversation_ended', 'This conversation has ended');
    if (conv.status !== 'active' || Number(conv.agent_id) !== actor.agentId)
      throw conflict('not_serving', 'Only the agent serving this conversation can ask for help');
    const ids = [...new Set(p.agentIds)];
    if (ids.includes(actor.agentId)) throw conflict('invalid_target', 'You already serve this conversation');
    const known = await agentsById(t, ids);
    if (ids.some((a) => !known.has(a))) throw notFound('Agent not found');
    // Offline, away, without the right to take chats, or an invisible admin for a non-admin: one answer (CONV-TRANSFER-29).
    const eligible = new Set((await this.eligible(actor)).map((c) => c.agentId));
    if (ids.some((a) => !eligible.has(a))) throw conflict('target_unavailable', 'This agent cannot help now');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + (await this.timeoutMs(actor.companyId)));
    let rows: any[];
    try {
      // The conversation row is locked, so two invitations at once cannot pass the limit of 3 together.
      rows = await t.transaction(async (tt) => {
        const cur = await tt.q('conversations').where({ id: p.conversationId }).forUpdate().first('status', 'agent_id');
        if (cur.status !== 'active' || Number(cur.agent_id) !== actor.agentId)
          throw conflict('not_serving', 'Only the agent serving this conversation can ask for help');
        const open = await tt.q('conversation_helpers').where({ conversation_id: p.conversationId }).whereIn('status', OPEN).select('agent_id', 'status');
        const already = open.find((r: any) => ids.includes(Number(r.agent_id)));
        if (already)
          throw already.status === 'accepted'
            ? conflict('already_helping', 'This colleague already helps in this chat', { agentId: Number(already.agent_id) })
            : conflict('help_pending', 'This colleague has not answered the earlier request yet', { agentId: Number(already.agent_id) });
        if (open.length + ids.length > MAX_HELPERS)
          throw conflict('too_many_helpers', `At most ${MAX_HELPERS} colleagues can help in one chat`, { max: MAX_HELPERS, open: open.length });
        return tt
          .insert(
            'conversation_helpers',
            ids.map((agentId) => ({
              conversation_id: p.conversationId,
              agent_id: agentId,
              invited_by: actor.agentId,
              note: p.note || null,
              status: 'pending',
              created_at: now,
              expires_at: expiresAt,
            })),
          )
          .returning('*');
      });
    } catch (err: any) {
      // The same colleague asked twice at once (two tabs): the unique index kept one.
      if (err?.code === '23505') throw conflict('help_pending', 'This colleague has not answered the earlier request yet');
      throw err;
    }
    const requests = rows.map((r) => this.view(r, known));
    const conversation = await this.queries.one(t, p.conversationId);
    for (const request of requests)
      this.notifier.toAgents(rooms.agent(request.agentId), 'help.offered', { request, conversation, from: { id: actor.agentId, nickname: actor.nickname } });
    await this.changed(t, p.conversationId);
    return requests;
  }

  async respond(actor: Actor, requestId: number, accept: boolean, reason?: string): Promise<{ request: HelpRequestView; conversation?: ConversationView }> {
    const t = new Tenant(this.db, actor.companyId);
    const row = await t.q('conversation_helpers').where({ id: requestId }).first();
    if (!row || Number(row.agent_id) !== actor.agentId) throw notFound('Help request not found');
    if (row.status === 'pending' && this.isExpired(row)) await this.close(t, [row], 'expired', 'timeout');
    if (!accept) {
      const done = await this.finish(t, requestId, 'rejected', reason || 'rejected');
      if (!done) throw closedError(await t.q('conversation_helpers').where({ id: requestId }).first());
      await this.tellClosed(t, [done], 'rejected');
      return { request: await this.viewOf(t, done) };
    }
    if (!(await this.canTake(actor))) throw conflict('target_unavailable', 'Set yourself online or busy first');
    const out = await t.transaction(async (tt): Promise<Outcome> => {
      const conv = await tt.q('conversations').where({ id: row.conversation_id }).forUpdate().first();
      const cur = await tt.q('conversation_helpers').where({ id: requestId }).first();
      if (cur.status !== 'pending') return { kind: 'refused', error: closedError(cur) };
      if (conv.status !== 'active' || Number(conv.agent_id) !== Number(cur.invited_by)) {
        const code = conv.status === 'ended' ? 'conversation_ended' : 'conversation_moved';
        const closed = await this.finishIn(tt, requestId, 'cancelled', code);
        return { kind: 'refused', closed, error: conflict(code, 'The conversation is no longer with the colleague who asked') };
      }
      // Helped chats count toward the load; no one holds more than the hard limit (ASSIGN-ELIGIBLE-2).
      await tt.q('agent_presence').where({ agent_id: actor.agentId }).forUpdate().first('agent_id');
      if ((await this.openCount(tt, actor.agentId)) >= HARD_LIMIT)
        return { kind: 'refused', error: conflict('too_many_conversations', `At most ${HARD_LIMIT} open conversations`) };
      return { kind: 'ok', row: await this.finishIn(tt, requestId, 'accepted', null) };
    });
    if (out.kind === 'refused') {
      if (out.closed) await this.tellClosed(t, [out.closed], null);
      throw out.error;
    }
    const conversationId = Number(out.row.conversation_id);
    this.notifier.joinConversation(conversationId, { agentId: actor.agentId });
    try {
      // The visitor (and everyone in the room) learns who joined (CONV-JOIN-34).
      await this.conversations.send(
        actor.companyId,
        conversationId,
        { kind: 'system' },
        {
          clientId: `help:${requestId}`,
          kind: 'system',
          text: `客服 ${actor.nickname} 加入了对话`,
          payload: { event: 'help.joined', agentId: actor.agentId, agentNickname: actor.nickname },
        },
      );
    } catch (err) {
      // The helper is in; a filter refusing the line must not undo it.
      this.log.warn({ err, conversationId }, 'help joined line not sent');
    }
    const request = await this.viewOf(t, out.row);
    this.notifier.toAgents(rooms.agent(request.invitedBy), 'help.accepted', { request });
    await this.changed(t, conversationId);
    return { request, conversation: await this.queries.one(t, conversationId) };
  }

  /** 退出协助: the helper leaves at any time; their sockets leave the room unless they monitor its agent. */
  async leave(actor: Actor, conversationId: number): Promise<HelpRequestView> {
    const t = new Tenant(this.db, actor.companyId);
    const [row] = await t
      .q('conversation_helpers')
      .where({ conversation_id: conversationId, agent_id: actor.agentId, status: 'accepted' })
      .update({ status: 'left', reason: 'left', left_at: this.clock.now() })
      .returning('*');
    if (!row) throw notFound('You do not help in this conversation');
    await this.afterLeft(t, [row]);
    return this.viewOf(t, row);
  }

  /** The chats I help in and the requests waiting for me; my sockets (re)join those rooms (after a reload). */
  async list(actor: Actor) {
    const t = new Tenant(this.db, actor.companyId);
    const mine = await t.q('conversation_helpers').where({ agent_id: actor.agentId }).whereIn('status', OPEN).orderBy('id');
    const helping: ConversationView[] = [];
    const offers = [];
    const names = await agentsById(t, [...new Set<number>(mine.flatMap((r: any) => [Number(r.agent_id), Number(r.invited_by)]))]);
    for (const r of mine) {
      if (r.status === 'pending' && this.isExpired(r)) continue; // the sweep tells everyone
      const conversation = await this.queries.one(t, Number(r.conversation_id));
      if (r.status === 'accepted') {
        this.notifier.joinConversation(conversation.id, { agentId: actor.agentId });
        helping.push(conversation);
      } else {
        const from = Number(r.invited_by);
        offers.push({ request: this.view(r, names), conversation, from: { id: from, nickname: names.get(from)?.nickname ?? '' } });
      }
    }
    return { helping, offers };
  }

  /** Open requests and helpers of a conversation, for its serving agent, a helper, a monitor or an admin. */
  async members(actor: Actor, conversationId: number): Promise<HelpRequestView[]> {
    const t = new Tenant(this.db, actor.companyId);
    const conv = await t.q('conversations').where({ id: conversationId }).first('agent_id');
    const agentId = conv?.agent_id == null ? null : Number(conv.agent_id);
    const allowed =
      conv &&
      (agentId === actor.agentId ||
        actor.isAdmin ||
        (await isHelping(t, conversationId, actor.agentId)) ||
        (await this.monitors.isWatching(t, actor.agentId, agentId)));
    if (!allowed) throw notFound('Conversation not found');
    return this.open(t, conversationId);
  }

  /** A transfer, a takeover or the end of the chat: open requests are withdrawn and helpers leave. */
  async release(companyId: number, conversationId: number, reason: 'transferred' | 'conversation_ended', keepAgentId: number | null = null) {
    const t = new Tenant(this.db, companyId);
    const pending = await t.q('conversation_helpers').where({ conversation_id: conversationId, status: 'pending' });
    if (pending.length) await this.close(t, pending, 'cancelled', reason);
    const left = await t
      .q('conversation_helpers')
      .where({ conversation_id: conversationId, status: 'accepted' })
      .update({ status: 'left', reason, left_at: this.clock.now() })
      .returning('*');
    if (left.length) await this.afterLeft(t, left, keepAgentId);
  }

  /** Expires requests older than the timeout, on every company (the cron job; tests call it). */
  async sweep(): Promise<number> {
    // The one cross-tenant read: a system job; each row is then handled within its own company.
    const due = await this.db('conversation_helpers').where({ status: 'pending' }).where('expires_at', '<=', this.clock.now()).select('*');
    let n = 0;
    for (const row of due) n += (await this.close(new Tenant(this.db, Number(row.company_id)), [row], 'expired', 'timeout')).length;
    return n;
  }

  private async afterLeft(t: Tenant, rows: any[], keepAgentId: number | null = null) {
    const conversationId = Number(rows[0].conversation_id);
    const conv = await t.q('conversations').where({ id: conversationId }).first('agent_id');
    const servingId = conv?.agent_id == null ? null : Number(conv.agent_id);
    const stay = new Set([keepAgentId, servingId, ...(servingId ? await this.monitors.watchers(t, servingId) : [])]);
    for (const r of rows) {
      const agentId = Number(r.agent_id);
      if (!stay.has(agentId)) this.notifier.leaveConversation(conversationId, { agentId });
      this.notifier.toAgents(rooms.agent(agentId), 'help.closed', { request: await this.viewOf(t, r) });
    }
    await this.changed(t, conversationId);
  }

  /** Withdraws or expires pending requests and tells the asked colleagues (and the asker of a timeout). */
  private async close(t: Tenant, rows: any[], status: 'expired' | 'cancelled', reason: string) {
    const done: any[] = [];
    for (const r of rows) {
      const row = await this.finish(t, Number(r.id), status, reason);
      if (row) done.push(row);
    }
    if (done.length) await this.tellClosed(t, done, status === 'expired' ? 'rejected' : null);
    return done;
  }

  private async tellClosed(t: Tenant, rows: any[], askerEvent: 'rejected' | null) {
    for (const r of rows) {
      const request = await this.viewOf(t, r);
      this.notifier.toAgents(rooms.agent(request.agentId), 'help.closed', { request });
      if (askerEvent) this.notifier.toAgents(rooms.agent(request.invitedBy), 'help.rejected', { request, reason: request.reason });
    }
    await this.changed(t, Number(rows[0].conversation_id));
  }

  /** The room (serving agent, helpers, monitors) sees the current list. */
  private async changed(t: Tenant, conversationId: number) {
    this.notifier.toAgents(rooms.conversation(conversationId), 'help.changed', { conversationId, requests: await this.open(t, conversationId) });
  }

  private async open(t: Tenant, conversationId: number): Promise<HelpRequestView[]> {
    const rows = await t.q('conversation_helpers').where({ conversation_id: conversationId }).whereIn('status', OPEN).orderBy('id');
    const names = await agentsById(t, [...new Set<number>(rows.map((r: any) => Number(r.agent_id)))]);
    return rows.map((r: any) => this.view(r, names));
  }

  private finish(t: Tenant, id: number, status: string, reason: string | null) {
    return t.transaction((tt) => this.finishIn(tt, id, status, reason));
  }

  private async finishIn(t: Tenant, id: number, status: string, reason: string | null) {
    const [row] = await t.q('conversation_helpers').where({ id, status: 'pending' }).update({ status, reason, responded_at: this.clock.now() }).returning('*');
    return row ?? null;
  }

  /** Conversations one serves plus those one helps in (ASSIGN-ELIGIBLE-2). */
  private async openCount(t: Tenant, agentId: number): Promise<number> {
    const [{ n }] = await t.q('conversations').where({ agent_id: agentId, status: 'active' }).count<{ n: string }[]>('* as n');
    const [{ h }] = await t.q('conversation_helpers').where({ agent_id: agentId, status: 'accepted' }).count<{ h: string }[]>('* as h');
    return Number(n) + Number(h);
  }

  private async viewOf(t: Tenant, r: any) {
    return this.view(r, await agentsById(t, [Number(r.agent_id)]));
  }

  private view(r: any, names: Map<number, { nickname: string }>): HelpRequestView {
    const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);
    return {
      id: Number(r.id),
      conversationId: Number(r.conversation_id),
      agentId: Number(r.agent_id),
      agentNickname: names.get(Number(r.agent_id))?.nickname ?? '',
      invitedBy: Number(r.invited_by),
      note: r.note ?? null,
      status: r.status,
      reason: r.reason ?? null,
      createdAt: iso(r.created_at)!,
      respondedAt: iso(r.responded_at),
      leftAt: iso(r.left_at),
      expiresAt: iso(r.expires_at)!,
    };
  }

  private isExpired(row: any) {
    return this.clock.now().getTime() >= new Date(row.expires_at).getTime();
  }

  /** A help request is answered like a transfer, within the company's transfer response time (CONV-TRANSFER-30). */
  private async timeoutMs(companyId: number): Promise<number> {
    const seconds = Number(((await this.routing.settings(companyId)) as { transferTimeoutSeconds?: number }).transferTimeoutSeconds);
    return seconds > 0 ? seconds * 1000 : TRANSFER_TIMEOUT_MS;
  }

  private async eligible(actor: Actor) {
    return transferTargets(await this.routing.candidates(actor.companyId, null, await this.routing.settings(actor.companyId)), actor);
  }

  private async canTake(actor: Actor) {
    const me = (await this.routing.candidates(actor.companyId, null, await this.routing.settings(actor.companyId))).find((c) => c.agentId === actor.agentId);
    return !!me && me.canAccept && (TAKING_STATUSES as readonly string[]).includes(me.status);
  }
}

/** A request that is no longer open. */
function closedError(row: any): AppError {
  return conflict('help_closed', `This help request is ${row.status}`, { status: row.status, reason: row.reason ?? null });
}
