import { injectable } from '../infra/di.ts';
import { conflict, notFound } from '../http/errors.ts';
import type { Tenant } from '../tenancy/tenant.ts';
import { toMessageView } from './conversation-mapper.ts';
import type { MessageView } from '../protocol/message-schemas.ts';

export interface NewMessage {
  clientId: string;
  senderKind: 'visitor' | 'agent' | 'system' | 'plugin';
  senderId: string | null;
  senderName: string | null;
  kind: MessageView['kind'];
  text: string | null;
  payload?: Record<string, unknown> | null;
}

/**
 * Stores messages before anyone is told (CONV-IDEMPOTENT-9): the seq comes from
 * the conversation row inside the same transaction, and (conversation, clientId)
 * is unique, so a retried send returns the stored message instead of a copy.
 */
@injectable()
export class MessageStore {
  async append(t: Tenant, conversationId: number, m: NewMessage, opts: { allowEnded?: boolean } = {}): Promise<{ message: MessageView; duplicate: boolean }> {
    const existing = await t.q('messages').where({ conversation_id: conversationId, client_id: m.clientId }).first();
    if (existing) return { message: toMessageView(existing), duplicate: true };
    try {
      return await t.transaction(async (tt) => {
        const conv = await tt.q('conversations').where({ id: conversationId }).increment('last_seq', 1).returning(['last_seq', 'status']);
        if (!conv.length) throw notFound('Conversation not found');
        if (conv[0].status === 'ended' && !opts.allowEnded) throw conflict('conversation_ended', 'This conversation has ended');
        const [row] = await tt
          .insert('messages', {
            conversation_id: conversationId,
            seq: conv[0].last_seq,
            client_id: m.clientId,
            sender_kind: m.senderKind,
            sender_id: m.senderId,
            sender_name: m.senderName,
            kind: m.kind,
            text: m.text,
            payload: m.payload ? JSON.stringify(m.payload) : null,
          })
          .returning('*');
        return { message: toMessageView(row), duplicate: false };
      });
    } catch (err: any) {
      // Two copies of the same send racing: the unique index kept one; return it.
      if (err?.code === '23505') {
        const row = await t.q('messages').where({ conversation_id: conversationId, client_id: m.clientId }).first();
        if (row) return { message: toMessageView(row), duplicate: true };
      }
      throw err;
    }
  }

  /** Replay after a reconnect; visitors never see whispers (CONV-WHISPER-37). */
  async after(t: Tenant, conversationId: number, afterSeq: number, opts: { forVisitor: boolean; limit?: number }): Promise<MessageView[]> {
    const q = t.q('messages').where({ conversation_id: conversationId }).where('seq', '>', afterSeq);
    if (opts.forVisitor) q.whereNot('kind', 'whisper');
    const rows = await q.orderBy('seq').limit(opts.limit ?? 1000);
    return rows.map(toMessageView);
  }
}
