import crypto from 'node:crypto';
import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { AppError, conflict, notFound } from '../http/errors.ts';
import { AuditService } from '../accounts/audit-service.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import type { TransferView } from '../protocol/collab-events.ts';
import type { ConversationView } from '../protocol/message-schemas.ts';
import { HARD_LIMIT } from './chat-settings.ts';
import {
  agentsById,
  declinedBy,
  offeredTo,
  TAKING_STATUSES,
  toTransferView,
  transferExpiresAt,
  transferTargets,
  TRANSFER_TIMEOUT_MS,
  type Actor,
} from './collab-support.ts';
import { ConversationQueries } from './conversation-queries.ts';
import { HandoverService } from './handover-service.ts';
import { MonitorService } from './monitor-service.ts';
import { RoutingService } from './routing-service.ts';

type Outcome = { kind: 'ok'; row: any } | { kind: 'refused'; error: AppError; closed?: any };

/**
 * Transfers (CONV-TRANSFER-28..33). A transfer is a stored offer to one agent
 * or to a group's eligible members; the first accept wins (the conversation row
 * is locked), a rejection by everyone offered or the timeout gives it back to
 * the sender. Every outcome stays in `transfers` for history and reports.
 */
@injectable()
export class TransferService {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(RoutingService) private readonly routing: RoutingService,
    @inject(ConversationQueries) private readonly queries: ConversationQueries,
    @inject(RealtimeNotifier) private readonly notifier: RealtimeNotifier,
    @inject(HandoverService) private readonly handover: HandoverService,
    @inject(MonitorService) private readonly monitors: MonitorService,
    @inject(AuditService) private readonly audit: AuditService,
  ) {}

  /** The transfer dialog's list (CONV-TRANSFER-28): eligible agents and groups with at least one of them. */
  async targets(actor: Actor) {
    const t = new Tenant(this.db, actor.companyId);
    const eligible = await this.eligible(actor);
    const names = await agentsById(
      t,
      eligible.map((c) => c.agentId),
    );
    const agents = eligible.map((c) => ({
      agentId: c.agentId,
      nickname: names.get(c.agentId)?.nickname ?? '',
      status: c.status as 'online' | 'busy' | 'invisible',
      load: c.load,
      cap: c.cap,
    }));
    const ids = new Set(eligible.map((c) => c.agentId));
    const members = await t.q('group_members').select('group_id', 'agent_id');
    const groups = (await t.q('groups').orderBy('name').select('id', 'name')).map((g: any) => ({
      id: Number(g.id),
      name: g.name,
      eligible: members.filter((m: any) => Number(m.group_id) === Number(g.id) && ids.has(Number(m.agent_id))).length,
    }));
    return { agents, groups };
  }

  async start(actor: Actor, p: { conversationId: number; toAgentId?: number; toGroupId?: number; note?: string }): Promise<TransferView> {
    const t = new Tenant(this.db, actor.companyId);
    const conv = await t.q('conversations').where({ id: p.conversationId }).first();
    if (!conv || (Number(conv.agent_id) !== actor.agentId && !actor.isAdmin)) throw notFound('Conversation not found');
    if (conv.status === 'ended') throw conflict('conversation_ended', 'This conversation has ended');
    if (conv.status !== 'active' || Number(conv.agent_id) !== actor.agentId)
      throw conflict('not_serving', 'Only the agent serving this conversation can transfer it');
    if (p.toAgentId === actor.agentId) throw conflict('invalid_target', 'You already serve this conversation');
    const eligible = await this.eligible(actor);
    if (!eligible.length) throw conflict('no_transfer_target', 'No other agent can take this chat');
    let offered: number[];
    if (p.toAgentId) {
      if (!(await agentsById(t, [p.toAgentId])).has(p.toAgentId)) throw notFound('Agent not found');
      // Offline, away, without the right to take chats, or an invisible admin for a non-admin: one answer (CONV-TRANSFER-29).
      if (!eligible.some((c) => c.agentId === p.toAgentId)) throw targetUnavailable();
      offered = [p.toAgentId];
    } else {
      if (!(await t.q('groups').where({ id: p.toGroupId }).first('id'))) throw notFound('Group not found');
      const members = new Set((await t.q('group_members').where({ group_id: p.toGroupId }).select('agent_id')).map((m: any) => Number(m.agent_id)));
      offered = eligible.filter((c) => members.has(c.agentId)).map((c) => c.agentId);
      if (!offered.length) throw targetUnavailable();
    }
    let row: any;
    // 传送响应时间 (CONV-TRANSFER-30) as the company has it now; the offer keeps it even if the setting changes.
    const timeoutMs = (await this.routing.settings(actor.companyId)).transferTimeoutSeconds * 1000;
    const now = this.clock.now();
    try {
      [row] = await t
        .insert('transfers', {
          conversation_id: p.conversationId,
          from_agent_id: actor.agentId,
          to_agent_id: p.toAgentId ?? null,
          to_group_id: p.toGroupId ?? null,
          offered_to: offered,
          note: p.note || null,
          status: 'pending',
          created_at: now,
          expires_at: new Date(now.getTime() + timeoutMs),
        })
        .returning('*');
    } catch (err: any) {
      if (err?.code === '23505') throw conflict('transfer_pending', 'This conversation already has a pending transfer');
      throw err;
    }
    const transfer = toTransferView(row);
    const conversation = await this.queries.one(t, p.conversationId);
    for (const a of offered)
      this.notifier.toAgents(rooms.agent(a), 'transfer.offered', { transfer, conversation, from: { id: actor.agentId, nickname: actor.nickname } });
    return transfer;
  }

  async respond(actor: Actor, transferId: number, accept: boolean, reason?: string) {
    const t = new Tenant(this.db, actor.companyId);
    const row = await t.q('transfers').where({ id: transferId }).first();
    if (!row || !offeredTo(row).includes(actor.agentId)) throw notFound('Transfer not found');
    if (row.status === 'pending' && this.isExpired(row)) await this.close(t, row, 'expired', 'timeout');
    if (!accept) return { transfer: await this.decline(t, actor, transferId, reason) };
    if (!(await this.canTake(actor))) throw targetUnavailable();
    const out = await t.transaction(async (tt): Promise<Outcome> => {
      const conv = await tt.q('conversations').where({ id: row.conversation_id }).forUpdate().first();
      const cur = await tt.q('transfers').where({ id: transferId }).first();
      if (cur.status !== 'pending') return { kind: 'refused', error: closedError(cur) };
      if (conv.status !== 'active' || Number(conv.agent_id) !== Number(cur.from_agent_id)) {
        const reasonCode = conv.status === 'ended' ? 'conversation_ended' : 'conversation_moved';
        const closed = await this.finish(tt, transferId, 'cancelled', reasonCode);
        return { kind: 'refused', closed, error: conflict(reasonCode, 'The conversation is no longer with the sender') };
      }
      // Above one's cap is fine when one chose it, not above the hard limit (CONV-TRANSFER-31).
      await tt.q('agent_presence').where({ agent_id: actor.agentId }).forUpdate().first('agent_id');
      const [{ n }] = await tt.q('conversations').where({ agent_id: actor.agentId, status: 'active' }).count<{ n: string }[]>('* as n');
      if (Number(n) >= HARD_LIMIT) return { kind: 'refused', error: conflict('too_many_conversations', `At most ${HARD_LIMIT} open conversations`) };
      const done = await this.finish(tt, transferId, 'accepted', null, actor.agentId);
      await tt.q('conversations').where({ id: conv.id }).update({ agent_id: actor.agentId });
      return { kind: 'ok', row: done };
    });
    if (out.kind === 'refused') {
      if (out.closed) this.tellClosed(out.closed, null);
      throw out.error;
    }
    const transfer = toTransferView(out.row);
    const conversation = await this.handover.moved(
      actor.companyId,
      transfer.conversationId,
      transfer.fromAgentId,
      { id: actor.agentId, nickname: actor.nickname },
      'transfer',
      {
        clientId: `transfer:${transferId}`,
        waitMs: this.clock.now().getTime() - new Date(out.row.created_at).getTime(),
      },
    );
    this.notifier.toAgents(rooms.agent(transfer.fromAgentId), 'transfer.accepted', { transfer });
    for (const a of offeredTo(out.row)) if (a !== actor.agentId) this.notifier.toAgents(rooms.agent(a), 'transfer.closed', { transfer });
    return { transfer, conversation };
  }

  /**
   * CONV-TAKEOVER-38: a monitor (holding conversation.accept, not away) takes a
   * watched agent's conversation without consent, above the cap but not above
   * the hard limit; a pending transfer of it is withdrawn.
   */
  async takeover(actor: Actor, conversationId: number): Promise<ConversationView> {
    const t = new Tenant(this.db, actor.companyId);
    const conv = await t.q('conversations').where({ id: conversationId }).first();
    const watching = conv && (await this.monitors.isWatching(t, actor.agentId, conv.agent_id == null ? null : Number(conv.agent_id)));
    if (!conv || (!watching && !actor.isAdmin)) throw notFound('Conversation not found');
    if (conv.status === 'ended') throw conflict('conversation_ended', 'This conversation has ended');
    if (!watching || conv.status !== 'active' || Number(conv.agent_id) === actor.agentId)
      throw conflict('not_monitoring', 'Only a monitor of the serving agent can take this conversation over');
    if (!(await this.canTake(actor))) throw conflict('agent_unavailable', 'Set yourself online, busy or invisible first');
    const fromId = Number(conv.agent_id);
    const out = await t.transaction(async (tt): Promise<Outcome> => {
      const cur = await tt.q('conversations').where({ id: conversationId }).forUpdate().first();
      if (cur.status !== 'active' || Number(cur.agent_id) !== fromId)
        return { kind: 'refused', error: conflict('conversation_moved', 'The conversation changed hands meanwhile') };
      await tt.q('agent_presence').where({ agent_id: actor.agentId }).forUpdate().first('agent_id');
      const [{ n }] = await tt.q('conversations').where({ agent_id: actor.agentId, status: 'active' }).count<{ n: string }[]>('* as n');
      if (Number(n) >= HARD_LIMIT) return { kind: 'refused', error: conflict('too_many_conversations', `At most ${HARD_LIMIT} open conversations`) };
      await tt.q('conversations').where({ id: conversationId }).update({ agent_id: actor.agentId });
      await this.audit.write(tt, {
        actor: actor.agentId,
        action: 'conversation.takeover',
        target: `conversation:${conversationId}`,
        old: { agentId: fromId },
        new: { agentId: actor.agentId },
      });
      return { kind: 'ok', row: cur };
    });
    if (out.kind === 'refused') throw out.error;
    await this.cancelPending(actor.companyId, conversationId, 'takeover');
    const to = { id: actor.agentId, nickname: actor.nickname };
    return this.handover.moved(actor.companyId, conversationId, fromId, to, 'takeover', { clientId: `takeover:${crypto.randomUUID()}`, waitMs: 0 });
  }

  /** The sender withdraws it until it is answered. */
  async cancel(actor: Actor, transferId: number): Promise<TransferView> {
    const t = new Tenant(this.db, actor.companyId);
    const row = await t.q('transfers').where({ id: transferId }).first();
    if (!row || Number(row.from_agent_id) !== actor.agentId) throw notFound('Transfer not found');
    if (row.status !== 'pending') throw closedError(row);
    const done = await this.close(t, row, 'cancelled', 'cancelled');
    if (!done) throw closedError(await t.q('transfers').where({ id: transferId }).first());
    return toTransferView(done);
  }

  /** Expires pending transfers older than the timeout, on every company (run by the cron job; tests call it). */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    const cutoff = new Date(now.getTime() - TRANSFER_TIMEOUT_MS);
    // The one cross-tenant read: a system job; each row is then handled within its own company.
    const due = await this.db('transfers')
      .where({ status: 'pending' })
      .where((q) => q.where('expires_at', '<=', now).orWhere((old) => old.whereNull('expires_at').where('created_at', '<=', cutoff)))
      .select('*');
    let n = 0;
    for (const row of due) if (await this.close(new Tenant(this.db, Number(row.company_id)), row, 'expired', 'timeout')) n++;
    return n;
  }

  /** A conversation that ends or is taken over withdraws its pending transfer. */
  async cancelPending(companyId: number, conversationId: number, reason: string): Promise<void> {
    const t = new Tenant(this.db, companyId);
    for (const row of await t.q('transfers').where({ conversation_id: conversationId, status: 'pending' })) await this.close(t, row, 'cancelled', reason);
  }

  private async decline(t: Tenant, actor: Actor, transferId: number, reason?: string): Promise<TransferView> {
    const out = await t.transaction(async (tt): Promise<Outcome> => {
      const cur = await tt.q('transfers').where({ id: transferId }).forUpdate().first();
      if (cur.status !== 'pending') return { kind: 'refused', error: closedError(cur) };
      const declined = [...new Set([...declinedBy(cur), actor.agentId])];
      // A group offer stays open until everyone it was offered to has said no.
      const all = offeredTo(cur).every((a) => declined.includes(a));
      const patch = all
        ? { declined_by: declined, status: 'rejected', reason: reason || 'rejected', answered_by: actor.agentId, responded_at: this.clock.now() }
        : { declined_by: declined };
      const [row] = await tt.q('transfers').where({ id: transferId }).update(patch).returning('*');
      return { kind: 'ok', row };
    });
    if (out.kind === 'refused') throw out.error;
    if (out.row.status === 'rejected') this.tellClosed(out.row, 'rejected');
    return toTransferView(out.row);
  }

  /** Ends a pending transfer (expired, cancelled) and tells both sides; null when it was no longer pending. */
  private async close(t: Tenant, row: any, status: 'expired' | 'cancelled', reason: string) {
    const done = await t.transaction((tt) => this.finish(tt, Number(row.id), status, reason));
    if (done) this.tellClosed(done, status === 'expired' ? 'rejected' : null);
    return done;
  }

  private async finish(t: Tenant, id: number, status: string, reason: string | null, answeredBy: number | null = null) {
    const [row] = await t
      .q('transfers')
      .where({ id, status: 'pending' })
      .update({ status, reason, answered_by: answeredBy, responded_at: this.clock.now() })
      .returning('*');
    return row ?? null;
  }

  /** Offered agents' dialogs close; the sender hears of a rejection or timeout at once (CONV-TRANSFER-30). */
  private tellClosed(row: any, senderEvent: 'rejected' | null) {
    const transfer = toTransferView(row);
    for (const a of offeredTo(row)) this.notifier.toAgents(rooms.agent(a), 'transfer.closed', { transfer });
    if (senderEvent) this.notifier.toAgents(rooms.agent(transfer.fromAgentId), 'transfer.rejected', { transfer, reason: transfer.reason });
  }

  private isExpired(row: any) {
    return this.clock.now().getTime() >= transferExpiresAt(row).getTime();
  }

  private async eligible(actor: Actor) {
    return transferTargets(await this.routing.candidates(actor.companyId, null, await this.routing.settings(actor.companyId)), actor);
  }

  /** The receiver must still be present and 在线, 忙碌 or 隐身 when accepting (CONV-TRANSFER-31). */
  private async canTake(actor: Actor) {
    const me = (await this.routing.candidates(actor.companyId, null, await this.routing.settings(actor.companyId))).find((c) => c.agentId === actor.agentId);
    return !!me && me.canAccept && (TAKING_STATUSES as readonly string[]).includes(me.status);
  }
}

const targetUnavailable = () => conflict('target_unavailable', 'This agent cannot take the chat now');

/** A transfer that is no longer open: the loser of a race learns who won (CONV-TRANSFER-32). */
function closedError(row: any): AppError {
  if (row.status === 'accepted')
    return conflict('already_accepted', 'Another agent accepted this transfer first', { agentId: row.answered_by == null ? null : Number(row.answered_by) });
  return conflict('transfer_closed', `This transfer is ${row.status}`, { status: row.status, reason: row.reason ?? null });
}
