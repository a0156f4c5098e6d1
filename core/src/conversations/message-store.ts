import type { Knex } from 'knex';
import { injectable } from '../infra/di.ts';
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
}

/** The conversation facts the caller needs after a send, read back by the same statement. */
export interface AppendedTo {
  visitorId: number;
  channel: string;
  initiator: string;
  agentId: number | null;
}

export type AppendResult = { message: MessageView; duplicate: false; conversation: AppendedTo } | { message: MessageView; duplicate: true };

/**
 * Stores messages before anyone is told (CONV-IDEMPOTENT-9). The common case is
 * ONE statement (one round trip, one commit): a CTE bumps the conversation's
 * seq — only if the sender may write there, it is not ended and this clientId
 * is new — and inserts the message with that seq. When it writes nothing, a
 * second look says why: a retried send gets the stored message back, a
 * stranger gets not_found, an ended chat conflict. (conversation, clientId) is
 * unique, so two racing copies of one send store one message; the loser's seq
 * is skipped, which readers tolerate (they page by `seq >`).
 */
@injectable()
export class MessageStore {
  async append(t: Tenant, conversationId: number, m: NewMessage, opts: AppendOptions = {}): Promise<AppendResult> {
    const k = t.unscoped;
    const bump = k('conversations')
      .where({ id: conversationId, company_id: t.companyId })
      .whereNotExists(k('messages').where({ conversation_id: conversationId, client_id: m.clientId }).select(k.raw('1')));
    if (!opts.allowEnded) bump.whereNot('status', 'ended');
    const guard = opts.guard ?? 'any';
    if (guard !== 'any' && 'visitorId' in guard) bump.where('visitor_id', guard.visitorId);
    if (guard !== 'any' && 'agentId' in guard) bump.where('agent_id', guard.agentId);
    const patch: Record<string, unknown> = { last_seq: k.raw('last_seq + 1') };
    if (opts.firstReplyAt) patch.first_reply_at = k.raw('coalesce(first_reply_at, ?)', [opts.firstReplyAt]);
    bump.update(patch).returning(['last_seq', 'visitor_id', 'channel', 'initiator', 'agent_id']);

    const row: Record<string, Knex.Value | Knex.Raw> = {
      company_id: t.companyId,
      conversation_id: conversationId,
      client_id: m.clientId,
      sender_kind: m.senderKind,
      sender_id: m.senderId,
      sender_name: m.senderName,
      kind: m.kind,
      text: m.text,
      payload: m.payload ? JSON.stringify(m.payload) : null,
      search_tsv: k.raw('?::tsvector', [searchTokens(messageSearchText(m))]),
    };
    const cols = Object.keys(row);
    const { rows } = await k.raw(
      `with c as (?), m as (
         insert into messages (${cols.map(() => '??').join(', ')}, seq)
         select ${cols.map(() => '?').join(', ')}, c.last_seq from c
         on conflict (conversation_id, client_id) do nothing
         returning *)
       select m.*, c.visitor_id as conv_visitor_id, c.channel as conv_channel, c.initiator as conv_initiator, c.agent_id as conv_agent_id from m, c`,
      [bump, ...cols, ...Object.values(row)],
    );
    if (rows.length) {
      const r = rows[0];
      return {
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
    return { message: await this.explainNoWrite(t, conversationId, m.clientId, guard, opts), duplicate: true };
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
}
