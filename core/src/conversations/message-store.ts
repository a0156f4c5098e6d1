import type { Knex } from 'knex';
import { inject, injectable } from '../infra/di.ts';
import { TOKENS } from '../tokens.ts';
import { isPglite, type Db } from '../infra/db.ts';
import { AppendBatcher, appendRows, type AppendRow } from './append-batch.ts';
import { WalBarrier } from './wal-barrier.ts';
import { conflict, notFound } from '../http/errors.ts';
import type { Tenant } from '../tenancy/tenant.ts';
import { toMessageView } from './conversation-mapper.ts';
import type { MessageView } from '../protocol/message-schemas.ts';
import { messageSearchText, searchTokens } from '../history/search-tokens.ts';

export interface NewMessage {
  clientId: string;
  senderKind: 'visitor' | 'agent' | 'system' | 'plugin';
  senderId: string | null;
  senderName: string | null;
  kind: MessageView['kind'];
  text: string | null;
  payload?: Record<string, unknown> | null;
}

/** Who may append: the conversation's visitor, its agent, or anyone (admins, plugins, the system). */
export type AppendGuard = { visitorId: number } | { agentId: number } | 'any';

export interface AppendOptions {
  allowEnded?: boolean;
  guard?: AppendGuard;
  /** Set on the conversation in the same statement when it is still empty (an agent's first reply). */
  firstReplyAt?: Date;
  /**
   * Return once the message is committed, before it is on disk; the caller may show it to the other
   * participants at once and must await `durable` before acknowledging the sender.
   */
  early?: boolean;
}

/** The conversation facts the caller needs after a send, read back by the same statement. */
export interface AppendedTo {
  visitorId: number;
  channel: string;
  initiator: string;
  agentId: number | null;
}

export type AppendResult = ({ message: MessageView; duplicate: false; conversation: AppendedTo } | { message: MessageView; duplicate: true }) & {
  /** Resolves once the message is on disk (at once unless `early`). */
  durable: Promise<void>;
};

/**
 * Stores messages before anyone is told (CONV-IDEMPOTENT-9). The common case is
 * ONE statement (one round trip, one commit), shared with other conversations'
 * sends that arrive meanwhile (append-batch.ts): it bumps the conversation's seq
 * — only if the sender may write there, it is not ended and this clientId is
 * new — and inserts the message with that seq. When it writes nothing, a second
 * look says why: a retried send gets the stored message back, a stranger gets
 * not_found, an ended chat conflict. (conversation, clientId) is unique, so two
 * racing copies of one send store one message; the loser's seq is skipped,
 * which readers tolerate (they page by `seq >`).
 */
@injectable()
export class MessageStore {
  private readonly batcher: AppendBatcher;
  private readonly barrier: WalBarrier | null;

  constructor(@inject(TOKENS.Db) db: Db, @inject(TOKENS.AppendDb) appendDb: Db) {
    const pglite = isPglite(db);
    // The embedded database runs one statement at a time; a second in flight would only wait in its pool.
    // On PostgreSQL a message is committed without waiting for the disk (appendDb's sessions) and shown to
    // the other side at once; its sender's ack waits for a shared flush (WalBarrier). The round trip between
    // two people then holds no disk write, while nothing is acknowledged before it is durable (BEYOND-IDEMPOTENT-4).
    this.batcher = new AppendBatcher(() => appendDb, pglite ? 1 : 2);
    this.barrier = pglite ? null : new WalBarrier(() => db, 5);
  }

  async append(t: Tenant, conversationId: number, m: NewMessage, opts: AppendOptions = {}): Promise<AppendResult> {
    const guard = opts.guard ?? 'any';
    const row: AppendRow = {
      companyId: t.companyId,
      conversationId,
      clientId: m.clientId,
      guardVisitorId: guard !== 'any' && 'visitorId' in guard ? guard.visitorId : null,
      guardAgentId: guard !== 'any' && 'agentId' in guard ? guard.agentId : null,
      allowEnded: !!opts.allowEnded,
      firstReplyAt: opts.firstReplyAt?.toISOString() ?? null,
      senderKind: m.senderKind,
      senderId: m.senderId,
      senderName: m.senderName,
      kind: m.kind,
      text: m.text,
      payload: m.payload ? JSON.stringify(m.payload) : null,
      searchTsv: searchTokens(messageSearchText(m)),
    };
    // Inside a caller's transaction the statement must run on that transaction, alone.
    const k = t.unscoped;
    const inTransaction = !!(k as Knex.Transaction).isTransaction;
    const r = inTransaction ? (await appendRows(k, [row]))[0] : await this.batcher.submit(row);
    // A retried send's first copy may still be on its way to disk: its ack waits for the flush too.
    const durable = inTransaction || !this.barrier ? Promise.resolve() : this.barrier.wait();
    // Awaited by the caller (early) or here; never an unhandled rejection meanwhile.
    durable.catch(() => undefined);
    if (!opts.early) await durable;
    if (r) {
      return {
        durable,
        message: toMessageView(r),
        duplicate: false,
        conversation: {
          visitorId: Number(r.conv_visitor_id),
          channel: r.conv_channel,
          initiator: r.conv_initiator,
          agentId: r.conv_agent_id == null ? null : Number(r.conv_agent_id),
        },
      };
    }
    return { message: await this.explainNoWrite(t, conversationId, m.clientId, guard, opts), duplicate: true, durable };
  }

  /** Nothing was written: the stored copy of a retried send, or the reason the sender may not write. */
  private async explainNoWrite(t: Tenant, conversationId: number, clientId: string, guard: AppendGuard, opts: AppendOptions): Promise<MessageView> {
    const conv = await t.q('conversations').where({ id: conversationId }).first('visitor_id', 'agent_id', 'status');
    const allowed =
      conv &&
      (guard === 'any' ||
        ('visitorId' in guard && Number(conv.visitor_id) === guard.visitorId) ||
        ('agentId' in guard && Number(conv.agent_id) === guard.agentId));
    if (!allowed) throw notFound('Conversation not found');
    const existing = await t.q('messages').where({ conversation_id: conversationId, client_id: clientId }).first();
    if (existing) return toMessageView(existing);
    if (conv.status === 'ended' && !opts.allowEnded) throw conflict('conversation_ended', 'This conversation has ended');
    // The row changed between the two statements (ended, or handed to another agent): say so plainly.
    throw conflict('conversation_changed', 'The conversation changed; try again');
  }

  /** Replay after a reconnect; visitors never see whispers (CONV-WHISPER-37). */
  async after(t: Tenant, conversationId: number, afterSeq: number, opts: { forVisitor: boolean; limit?: number }): Promise<MessageView[]> {
    const q = t.q('messages').where({ conversation_id: conversationId }).where('seq', '>', afterSeq);
    if (opts.forVisitor) q.whereNot('kind', 'whisper');
    const rows = await q.orderBy('seq').limit(opts.limit ?? 1000);
    return rows.map(toMessageView);
  }

  /** The `limit` messages just before `beforeSeq`, in seq order: a transcript is read from its end (CONV-PANE-2). */
  async before(t: Tenant, conversationId: number, beforeSeq: number, opts: { forVisitor: boolean; limit: number }): Promise<MessageView[]> {
    const q = t.q('messages').where({ conversation_id: conversationId }).where('seq', '<', beforeSeq);
    if (opts.forVisitor) q.whereNot('kind', 'whisper');
    const rows = await q.orderBy('seq', 'desc').limit(opts.limit);
    return rows.reverse().map(toMessageView);
  }
}
