import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { conflict, forbidden, notFound } from '../http/errors.ts';
import { AuditService } from '../accounts/audit-service.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import type { ConversationView, MessageView } from '../protocol/message-schemas.ts';
import { agentsById, type Actor } from './collab-support.ts';
import { ConversationQueries } from './conversation-queries.ts';
import { isHelping } from './helper-membership.ts';
import { MessageStore } from './message-store.ts';
import { RoutingService } from './routing-service.ts';

const monitorView = (r: any) => ({
  monitorAgentId: Number(r.monitor_agent_id),
  watchedAgentId: Number(r.watched_agent_id),
  startedAt: new Date(r.started_at).toISOString(),
});

/**
 * Monitoring (CONV-MONITOR-35/36) and whispers (CONV-WHISPER-37). Monitoring
 * is kept in the `monitors` table, so it survives the monitor's reloads; the
 * monitor's sockets join the watched agent's conversation rooms and so receive
 * messages and typing live. Nothing here marks anything read or counts as a reply.
 */
@injectable()
export class MonitorService {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(AuditService) private readonly audit: AuditService,
    @inject(MessageStore) private readonly store: MessageStore,
    @inject(ConversationQueries) private readonly queries: ConversationQueries,
    @inject(RealtimeNotifier) private readonly notifier: RealtimeNotifier,
    @inject(RoutingService) private readonly routing: RoutingService,
  ) {}

  /**
   * The 监控客服 picker (TOOLBAR-MONITORBTNS-7): every enabled agent the actor may monitor, offline ones too
   * (monitoring follows them when they come back), with status, conversations in progress and whether already
   * watched. An invisible admin shows as 隐身 only to admins, who are the only ones allowed to monitor admins.
   */
  async targets(actor: Actor) {
    const t = new Tenant(this.db, actor.companyId);
    const rows = await t
      .q('agents')
      .whereNull('deleted_at')
      .whereNull('disabled_at')
      .whereNot('id', actor.agentId)
      .modify((q) => (actor.isAdmin ? q : q.whereNot('role', 'admin')))
      .orderBy('nickname')
      .select(
        'id',
        'nickname',
        this.db.raw("(select count(*)::int from conversations c where c.agent_id = agents.id and c.status = 'active') as conversations"),
      );
    const present = new Map(
      (await this.routing.candidates(actor.companyId, null, await this.routing.settings(actor.companyId))).map((c) => [c.agentId, c.status]),
    );
    const watched = new Set((await this.active(t, actor.agentId).select('watched_agent_id')).map((r: any) => Number(r.watched_agent_id)));
    return {
      agents: rows.map((r: any) => ({
        agentId: Number(r.id),
        nickname: r.nickname as string,
        status: (present.get(Number(r.id)) ?? 'offline') as 'online' | 'busy' | 'away' | 'invisible' | 'offline',
        conversations: Number(r.conversations),
        watched: watched.has(Number(r.id)),
      })),
    };
  }

  /** Admins may monitor anyone but themselves; other holders only agents who are not admins (else 403). */
  async start(actor: Actor, watchedId: number): Promise<{ monitor: ReturnType<typeof monitorView>; conversations: ConversationView[] }> {
    const t = new Tenant(this.db, actor.companyId);
    const target = (await agentsById(t, [watchedId])).get(watchedId);
    if (!target) throw notFound('Agent not found');
    if (watchedId === actor.agentId) throw forbidden('conversation.monitor', 'You cannot monitor yourself');
    if (target.role === 'admin' && !actor.isAdmin) throw forbidden('conversation.monitor', 'Only administrators can monitor an administrator');
    let row = await this.active(t, actor.agentId).where({ watched_agent_id: watchedId }).first();
    if (!row) {
      try {
        [row] = await t.insert('monitors', { monitor_agent_id: actor.agentId, watched_agent_id: watchedId, started_at: this.clock.now() }).returning('*');
        await this.audit.write(t, { actor: actor.agentId, action: 'monitor.start', target: `agent:${watchedId}` });
      } catch (err: any) {
        // The same start on two tabs at once: the unique index kept one.
        if (err?.code !== '23505') throw err;
        row = await this.active(t, actor.agentId).where({ watched_agent_id: watchedId }).first();
      }
    }
    const conversations = await this.queries.activeOf(t, watchedId);
    for (const c of conversations) this.notifier.joinConversation(c.id, { agentId: actor.agentId });
    await this.tellWatched(t, watchedId);
    return { monitor: monitorView(row), conversations };
  }

  /** Stops one or all; the monitor leaves the rooms it was in only because of monitoring. */
  async stop(actor: Actor, watchedId?: number): Promise<{ stopped: number[] }> {
    const t = new Tenant(this.db, actor.companyId);
    const q = this.active(t, actor.agentId);
    if (watchedId) q.where({ watched_agent_id: watchedId });
    const rows = await q.update({ ended_at: this.clock.now() }).returning('watched_agent_id');
    const stopped = rows.map((r: any) => Number(r.watched_agent_id));
    for (const w of stopped) {
      for (const c of await this.queries.activeOf(t, w)) this.notifier.leaveConversation(c.id, { agentId: actor.agentId });
      await this.audit.write(t, { actor: actor.agentId, action: 'monitor.stop', target: `agent:${w}` });
      await this.tellWatched(t, w);
    }
    return { stopped };
  }

  /** The monitor's current watch list; re-joins the rooms (after a reload or reconnect, CONV-MONITOR-36). */
  async list(actor: Actor) {
    const t = new Tenant(this.db, actor.companyId);
    const rows = await this.active(t, actor.agentId).orderBy('started_at');
    for (const r of rows)
      for (const c of await this.queries.activeOf(t, Number(r.watched_agent_id))) this.notifier.joinConversation(c.id, { agentId: actor.agentId });
    return { monitors: rows.map(monitorView) };
  }

  /**
   * 告知被监控客服 (CONV-MONITOR-35, INTERNAL-MONITOR-11): who monitors the agent, for the eye icon; empty while the
   * company setting is off, so silent monitoring stays silent.
   */
  async watchedBy(companyId: number, watchedId: number): Promise<{ monitors: { agentId: number; nickname: string; startedAt: string }[] }> {
    if (!(await this.routing.settings(companyId)).monitorNotice) return { monitors: [] };
    const rows = await new Tenant(this.db, companyId)
      .q('monitors')
      .join('agents', 'agents.id', 'monitors.monitor_agent_id')
      .where('monitors.watched_agent_id', watchedId)
      .whereNull('monitors.ended_at')
      .orderBy('monitors.started_at')
      .select('monitors.monitor_agent_id', 'agents.nickname', 'monitors.started_at');
    return {
      monitors: rows.map((r: any) => ({ agentId: Number(r.monitor_agent_id), nickname: r.nickname, startedAt: new Date(r.started_at).toISOString() })),
    };
  }

  /**
   * Pushes the watched agent's current eye icon list to their consoles after a start or a stop. While the setting is
   * off nothing is sent at all, so not even the timing of an event gives silent monitoring away.
   */
  async tellWatched(t: Tenant, watchedId: number, evenIfOff = false): Promise<void> {
    const list = await this.watchedBy(t.companyId, watchedId);
    if (list.monitors.length || evenIfOff || (await this.routing.settings(t.companyId)).monitorNotice)
      this.notifier.toAgents(rooms.agent(watchedId), 'monitor.watchers', list);
  }

  /** 告知被监控客服 was saved: every agent being monitored now sees the icon appear or go. */
  async tellAllWatched(companyId: number): Promise<void> {
    const t = new Tenant(this.db, companyId);
    const rows = await t.q('monitors').whereNull('ended_at').distinct('watched_agent_id');
    for (const r of rows) await this.tellWatched(t, Number(r.watched_agent_id), true);
  }

  async watchers(t: Tenant, watchedId: number): Promise<number[]> {
    const rows = await t.q('monitors').where({ watched_agent_id: watchedId }).whereNull('ended_at').select('monitor_agent_id');
    return rows.map((r: any) => Number(r.monitor_agent_id));
  }

  async isWatching(t: Tenant, monitorId: number, watchedId: number | null): Promise<boolean> {
    if (!watchedId) return false;
    return !!(await this.active(t, monitorId).where({ watched_agent_id: watchedId }).first('id'));
  }

  /** `conversation.assigned` (any `by`): the new agent's monitors follow the conversation. */
  async onAssigned(companyId: number, conversationId: number, agentId: number): Promise<void> {
    const t = new Tenant(this.db, companyId);
    const ws = await this.watchers(t, agentId);
    if (!ws.length) return;
    const conversation = await this.queries.one(t, conversationId);
    for (const w of ws) {
      this.notifier.joinConversation(conversationId, { agentId: w });
      this.notifier.toAgents(rooms.agent(w), 'monitor.conversation', { conversation });
    }
  }

  /** After a transfer or takeover: the previous agent and their monitors leave, unless they watch the new agent. */
  async afterMove(companyId: number, conversationId: number, fromId: number, toId: number): Promise<void> {
    const t = new Tenant(this.db, companyId);
    const stay = new Set([toId, ...(await this.watchers(t, toId))]);
    for (const a of [fromId, ...(await this.watchers(t, fromId))]) if (!stay.has(a)) this.notifier.leaveConversation(conversationId, { agentId: a });
  }

  /**
   * CONV-WHISPER-37: only the serving agent, an admin, a monitor of the serving
   * agent or a helper (CONV-JOIN-34) may whisper. It is stored as kind `whisper` and pushed to the agent side
   * of the room only; `message.created` is not emitted, so no visitor-facing
   * subscriber (channels, pushes, robot) can ever see it.
   */
  async whisper(actor: Actor, conversationId: number, clientId: string, text: string): Promise<MessageView> {
    const t = new Tenant(this.db, actor.companyId);
    const conv = await t.q('conversations').where({ id: conversationId }).first();
    const agentId = conv?.agent_id == null ? null : Number(conv.agent_id);
    const allowed =
      conv &&
      (agentId === actor.agentId || actor.isAdmin || (await this.isWatching(t, actor.agentId, agentId)) || (await isHelping(t, conversationId, actor.agentId)));
    if (!allowed) throw notFound('Conversation not found');
    if (conv.status === 'ended') throw conflict('conversation_ended', 'This conversation has ended');
    const { message, duplicate } = await this.store.append(t, conversationId, {
      clientId,
      senderKind: 'agent',
      senderId: String(actor.agentId),
      senderName: actor.nickname,
      kind: 'whisper',
      text,
    });
    if (!duplicate) this.notifier.toAgents(rooms.conversation(conversationId), 'message', { message });
    return message;
  }

  /**
   * Read-only transcript (whispers included) for the serving agent, an admin, a
   * monitor of the serving agent, an agent a pending transfer is offered to
   * (查看已有对话记录, CONV-TRANSFER-30), or one asked to help or helping (CONV-JOIN-34). Reading never marks anything read.
   */
  async transcript(actor: Actor, conversationId: number, afterSeq: number) {
    const t = new Tenant(this.db, actor.companyId);
    const conv = await t.q('conversations').where({ id: conversationId }).first('agent_id');
    const agentId = conv?.agent_id == null ? null : Number(conv.agent_id);
    const offered = async () =>
      !!(await t.q('transfers').where({ conversation_id: conversationId, status: 'pending' }).whereRaw('? = any(offered_to)', [actor.agentId]).first('id'));
    const helpOffered = async () =>
      !!(await t
        .q('conversation_helpers')
        .where({ conversation_id: conversationId, agent_id: actor.agentId })
        .whereIn('status', ['pending', 'accepted'])
        .first('id'));
    const allowed =
      conv && (agentId === actor.agentId || actor.isAdmin || (await this.isWatching(t, actor.agentId, agentId)) || (await offered()) || (await helpOffered()));
    if (!allowed) throw notFound('Conversation not found');
    return { conversation: await this.queries.one(t, conversationId), messages: await this.store.after(t, conversationId, afterSeq, { forVisitor: false }) };
  }

  private active(t: Tenant, monitorId: number) {
    return t.q('monitors').where({ monitor_agent_id: monitorId }).whereNull('ended_at');
  }
}
