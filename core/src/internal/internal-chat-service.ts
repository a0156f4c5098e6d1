import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { conflict, fieldError, notFound, rateLimited } from '../http/errors.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { MonitorService } from '../conversations/monitor-service.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { InternalFiles, type InternalFile } from './internal-files.ts';
import { assertMayMentionAll, findMentions } from './internal-mentions.ts';
import { InternalReceipts } from './internal-receipts.ts';
import { InternalThreads } from './internal-threads.ts';
import type { ConversationCard } from './internal-share.ts';

export interface InternalMessageView {
  id: number;
  fromAgentId: number;
  /** The colleague of a one-to-one thread; null in a group or ad-hoc chat. */
  toAgentId: number | null;
  /** The group or ad-hoc chat (INTERNAL-GROUPCHAT-7); null one-to-one. */
  threadId: number | null;
  /** Members named by @nickname, and whether @所有人 was used: they are notified even in a muted chat. */
  mentions: number[];
  mentionAll: boolean;
  clientId: string;
  text: string | null;
  file: InternalFile | null;
  /** 发给同事: a card naming a visitor conversation (INTERNAL-SHARE-8); `text` is the optional comment. */
  share: ConversationCard | null;
  /** Server storage time (INTERNAL-TIMES-4). */
  createdAt: string;
  /** 已送达: the recipient's first console received it; null while not, or hidden by an invisible admin. */
  deliveredAt: string | null;
  /** 已读: the recipient first had the thread open. */
  readAt: string | null;
  /** Set once the sender recalled it; text and file are gone (INTERNAL-RECALL-10). */
  recalledAt: string | null;
}

export interface UnreadView {
  unread: { agentId: number; count: number }[];
  /** Group and ad-hoc chats: unread count and whether one of them @mentions the agent. */
  threads: { threadId: number; count: number; mentioned: boolean }[];
  total: number;
}

export const HISTORY_PAGE = 50;
// INTERNAL-LIMITS-12: at most 30 messages per agent per 10 seconds.
const RATE_MAX = 30;
const RATE_WINDOW_MS = 10_000;
/** INTERNAL-RECALL-10: the sender may recall a message this long after sending it. */
export const RECALL_WINDOW_MS = 2 * 60_000;

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

/** The payload holds a file (INTERNAL-FILES-5) or a conversation card (INTERNAL-SHARE-8). */
function payloadOf(raw: unknown): Pick<InternalMessageView, 'file' | 'share'> {
  const p = typeof raw === 'string' ? JSON.parse(raw) : raw;
  if (p && 'conversationId' in p) return { file: null, share: p };
  return { file: p ?? null, share: null };
}

function toView(r: any): InternalMessageView {
  return {
    id: Number(r.id),
    fromAgentId: Number(r.from_agent_id),
    toAgentId: r.to_agent_id == null ? null : Number(r.to_agent_id),
    threadId: r.thread_id == null ? null : Number(r.thread_id),
    mentions: (typeof r.mentions === 'string' ? JSON.parse(r.mentions) : r.mentions) ?? [],
    mentionAll: !!r.mention_all,
    clientId: r.client_id,
    text: r.text ?? null,
    ...payloadOf(r.payload),
    createdAt: iso(r.created_at)!,
    deliveredAt: r.receipts_hidden ? null : iso(r.delivered_at),
    readAt: r.receipts_hidden ? null : iso(r.read_at),
    recalledAt: iso(r.recalled_at),
  };
}

/**
 * One-to-one messages between agents of one company (SPEC INTERNAL-DIRECT-3,
 * INTERNAL-UNREAD-6, INTERNAL-HISTORY-9). Stored before anyone is told; a
 * colleague outside the caller's company does not exist (`404 not_found`).
 * Pushes go to `agent:<id>` rooms, so every tab of both agents sees them.
 */
@injectable()
export class InternalChatService {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(RealtimeNotifier) private readonly notifier: RealtimeNotifier,
    @inject(MonitorService) private readonly monitors: MonitorService,
    @inject(InternalFiles) private readonly files: InternalFiles,
    @inject(InternalReceipts) private readonly receipts: InternalReceipts,
    @inject(InternalThreads) private readonly threads: InternalThreads,
  ) {}

  async send(
    companyId: number,
    fromAgentId: number,
    input: { toAgentId?: number; threadId?: number; clientId: string; text?: string; fileKey?: string; share?: ConversationCard },
    auth?: AuthInfo,
  ): Promise<InternalMessageView> {
    const t = new Tenant(this.db, companyId);
    const mine = { from_agent_id: fromAgentId, client_id: input.clientId };
    // A retried send answers with what was stored the first time (BEYOND-IDEMPOTENT-4).
    const existing = await t.q('internal_messages').where(mine).first();
    if (existing) return toView(existing);
    // A group or ad-hoc chat: only its current members post, and @所有人 needs the right (INTERNAL-GROUPCHAT-7).
    let target: Record<string, unknown> = { to_agent_id: input.toAgentId };
    if (input.threadId) {
      const m = await this.threads.member(t, input.threadId, fromAgentId);
      const found = findMentions(input.text, await this.threads.members(t, input.threadId), fromAgentId);
      if (found.all) assertMayMentionAll(!!auth && this.threads.mayMentionAll(auth, m));
      target = { thread_id: input.threadId, to_agent_id: null, mentions: JSON.stringify(found.agentIds), mention_all: found.all };
    } else await this.colleague(t, fromAgentId, input.toAgentId!, true);
    await this.checkRate(t, fromAgentId);
    const upload = input.fileKey ? await this.files.attachable(t, fromAgentId, input.fileKey) : null;
    const rows = await t
      .insert('internal_messages', {
        ...mine,
        ...target,
        text: input.text ?? null,
        payload: upload ? JSON.stringify(upload.file) : input.share ? JSON.stringify(input.share) : null,
        created_at: this.clock.now(),
      })
      .onConflict(['from_agent_id', 'client_id'])
      .ignore()
      .returning('*');
    // Two copies of one send racing: the unique index kept the first; answer with it and push nothing more.
    if (!rows.length) return toView(await t.q('internal_messages').where(mine).first());
    const message = toView(rows[0]);
    if (upload) await this.files.link(t, upload.id, message.id);
    const to = await this.fanOut(t, 'internal.message', message);
    for (const id of to) if (id !== fromAgentId) await this.pushUnread(t, id);
    // @nickname and @所有人 reach the member even when they muted the chat.
    const named = message.mentionAll ? to : message.mentions;
    for (const id of named) if (id !== fromAgentId) this.notifier.toAgents(rooms.agent(id), 'internal.mentioned', { threadId: message.threadId, message });
    return message;
  }

  /** 撤回: the sender, within 2 minutes; every member's console (and monitors') replaces it at once. */
  async recall(companyId: number, agentId: number, messageId: number): Promise<InternalMessageView> {
    const t = new Tenant(this.db, companyId);
    const row = await t.q('internal_messages').where({ id: messageId, from_agent_id: agentId }).first();
    if (!row) throw notFound('Message not found');
    if (row.recalled_at) return toView(row);
    if (this.clock.now().getTime() - new Date(row.created_at).getTime() > RECALL_WINDOW_MS)
      throw conflict('recall_window_passed', 'Messages can be recalled within 2 minutes of sending');
    const [done] = await t.q('internal_messages').where({ id: messageId }).update({ text: null, payload: null, recalled_at: this.clock.now() }).returning('*');
    const message = toView(done);
    await this.files.remove(t, messageId);
    const to = await this.fanOut(t, 'internal.recalled', message);
    // An unread recalled message no longer counts.
    if (message.threadId) {
      for (const id of to) if (id !== agentId) await this.pushUnread(t, id);
    } else if (!row.read_at) await this.pushUnread(t, Number(row.to_agent_id));
    return message;
  }

  /**
   * Both agents' consoles, and live to whoever monitors either of them
   * (INTERNAL-MONITOR-11): `internal.monitored` names the watched agent; nothing is stored for the monitor.
   */
  private async fanOut(t: Tenant, event: 'internal.message' | 'internal.recalled', message: InternalMessageView): Promise<number[]> {
    const to = message.threadId ? (await this.threads.members(t, message.threadId)).map((m) => m.id) : [message.fromAgentId, message.toAgentId!];
    for (const id of to) this.notifier.toAgents(rooms.agent(id), event, { message });
    for (const watched of to)
      for (const monitor of await this.monitors.watchers(t, watched))
        if (!to.includes(monitor)) this.notifier.toAgents(rooms.agent(monitor), 'internal.monitored', { watchedAgentId: watched, event, message });
    return to;
  }

  /** Older messages first within a page; `before` is the smallest id the caller already has (keyset). */
  async history(
    companyId: number,
    agentId: number,
    thread: { withAgentId?: number; threadId?: number },
    before?: number,
  ): Promise<{ messages: InternalMessageView[]; hasMore: boolean }> {
    const t = new Tenant(this.db, companyId);
    const q = t.q('internal_messages');
    if (thread.threadId) {
      // A member sees what was posted after they joined (INTERNAL-GROUPCHAT-7).
      const m = await this.threads.member(t, thread.threadId, agentId);
      q.where({ thread_id: thread.threadId }).where('id', '>', m.joinedAfterId);
    } else {
      const withAgentId = thread.withAgentId!;
      await this.colleague(t, agentId, withAgentId, false);
      q.where((w) => w.where({ from_agent_id: agentId, to_agent_id: withAgentId }).orWhere({ from_agent_id: withAgentId, to_agent_id: agentId }));
    }
    if (before) q.where('id', '<', before);
    const rows = await q.orderBy('id', 'desc').limit(HISTORY_PAGE + 1);
    return { messages: rows.slice(0, HISTORY_PAGE).reverse().map(toView), hasMore: rows.length > HISTORY_PAGE };
  }

  /** Marks the thread read: the count clears in all of the reader's tabs and the sender sees 已读. */
  async markRead(companyId: number, agentId: number, thread: { withAgentId?: number; threadId?: number }): Promise<{ read: number }> {
    const t = new Tenant(this.db, companyId);
    if (thread.threadId) {
      await this.threads.member(t, thread.threadId, agentId);
      const n = await this.threads.markRead(t, thread.threadId, agentId);
      if (n) await this.pushUnread(t, agentId);
      return { read: n };
    }
    const withAgentId = thread.withAgentId!;
    await this.colleague(t, agentId, withAgentId, false);
    const ids = await this.receipts.read(t, agentId, withAgentId);
    if (ids.length) await this.pushUnread(t, agentId);
    return { read: ids.length };
  }

  /** The recipient's console received these messages (or, without ids, every one it has not yet had): 已送达. */
  async delivered(companyId: number, agentId: number, messageIds?: number[]): Promise<{ delivered: number }> {
    return { delivered: (await this.receipts.delivered(new Tenant(this.db, companyId), agentId, messageIds)).length };
  }

  /** Unread messages per colleague, as stored on the server (INTERNAL-UNREAD-6). */
  async unread(companyId: number, agentId: number): Promise<UnreadView> {
    return this.unreadOf(new Tenant(this.db, companyId), agentId);
  }

  private async unreadOf(t: Tenant, agentId: number): Promise<UnreadView> {
    const rows = await t
      .q('internal_messages')
      .where({ to_agent_id: agentId })
      .whereNull('read_at')
      .whereNull('recalled_at')
      .groupBy('from_agent_id')
      .orderBy('from_agent_id')
      .select('from_agent_id')
      .count('* as n');
    const unread: UnreadView['unread'] = rows.map((r: any) => ({ agentId: Number(r.from_agent_id), count: Number(r.n) }));
    const threads = await this.threadUnread(t, agentId);
    return { unread, threads, total: unread.reduce((s, u) => s + u.count, 0) + threads.reduce((s, u) => s + u.count, 0) };
  }

  /** Others' messages after the member's read position (and after they joined), per chat. */
  private async threadUnread(t: Tenant, agentId: number): Promise<UnreadView['threads']> {
    const raw = t.unscoped.raw.bind(t.unscoped);
    const rows = await t
      .q('internal_thread_members as m')
      .join('internal_messages as x', 'x.thread_id', 'm.thread_id')
      .where('m.agent_id', agentId)
      .whereNull('m.left_at')
      .whereNot('x.from_agent_id', agentId)
      .whereNull('x.recalled_at')
      .whereRaw('x.id > greatest(m.last_read_id, m.joined_after_id)')
      .groupBy('m.thread_id')
      .orderBy('m.thread_id')
      .select('m.thread_id', raw('count(*) as n'), raw("bool_or(x.mention_all or coalesce(x.mentions, '[]'::jsonb) @> to_jsonb(m.agent_id)) as mentioned"));
    return rows.map((r: any) => ({ threadId: Number(r.thread_id), count: Number(r.n), mentioned: !!r.mentioned }));
  }

  private async pushUnread(t: Tenant, agentId: number) {
    this.notifier.toAgents(rooms.agent(agentId), 'internal.unread', await this.unreadOf(t, agentId));
  }

  /**
   * The other agent must belong to the caller's company. Threads with disabled
   * or deleted colleagues stay readable; sending needs an enabled colleague
   * (INTERNAL-LIMITS-12).
   */
  private async colleague(t: Tenant, agentId: number, otherId: number, sending: boolean) {
    if (otherId === agentId) throw fieldError(sending ? 'toAgentId' : 'withAgentId', 'self', 'An agent cannot chat with themselves');
    const row = await t.q('agents').where({ id: otherId }).first('id', 'disabled_at', 'deleted_at');
    if (!row || (sending && row.deleted_at)) throw notFound('Agent not found');
    if (sending && row.disabled_at) throw conflict('agent_disabled', 'This agent is disabled');
  }

  private async checkRate(t: Tenant, agentId: number) {
    const since = new Date(this.clock.now().getTime() - RATE_WINDOW_MS);
    const recent = await t
      .q('internal_messages')
      .where({ from_agent_id: agentId })
      .where('created_at', '>', since)
      .orderBy('created_at', 'desc')
      .limit(RATE_MAX)
      .select('created_at');
    if (recent.length < RATE_MAX) return;
    const oldest = new Date(recent[recent.length - 1].created_at).getTime();
    throw rateLimited(Math.max(1, Math.ceil((oldest + RATE_WINDOW_MS - this.clock.now().getTime()) / 1000)));
  }
}
