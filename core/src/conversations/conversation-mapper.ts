import type { ConversationView, MessageView } from '../protocol/message-schemas.ts';

/** The group whose members may take a conversation now (GROUP-SCOPE-5): its own, or after overflow its target (null: everyone). */
export function scopeGroupOf(r: { group_id?: unknown; overflowed_at?: unknown; overflow_group_id?: unknown }): number | null {
  const g = r.overflowed_at != null ? r.overflow_group_id : r.group_id;
  return g == null ? null : Number(g);
}

/** The same in SQL, for queries that route or filter by scope. */
export const scopeGroupSql = (alias: string) => `(case when ${alias}.overflowed_at is null then ${alias}.group_id else ${alias}.overflow_group_id end)`;

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

/** Rows joined with visitors (number, name) and agents (nickname) → the protocol's view. */
export function toConversationView(r: any): ConversationView {
  return {
    id: Number(r.id),
    visitorId: Number(r.visitor_id),
    visitorNumber: Number(r.visitor_number ?? 0),
    visitorName: r.visitor_name ?? null,
    channel: r.channel,
    status: r.status,
    initiator: r.initiator,
    groupId: r.group_id == null ? null : Number(r.group_id),
    scopeGroupId: scopeGroupOf(r),
    overflowed: r.overflowed_at != null,
    agentId: r.agent_id == null ? null : Number(r.agent_id),
    agentNickname: r.agent_nickname ?? null,
    lastSeq: Number(r.last_seq),
    createdAt: iso(r.created_at)!,
    acceptedAt: iso(r.accepted_at),
    endedAt: iso(r.ended_at),
    endedBy: r.ended_by ?? null,
    endReason: r.end_reason ?? null,
  };
}

export function toMessageView(r: any): MessageView {
  return {
    id: Number(r.id),
    conversationId: Number(r.conversation_id),
    seq: Number(r.seq),
    clientId: r.client_id,
    senderKind: r.sender_kind,
    senderId: r.sender_id ?? null,
    senderName: r.sender_name ?? null,
    kind: r.kind,
    text: r.text ?? null,
    payload: r.payload ?? null,
    deliveryStatus: r.delivery_status ?? null,
    createdAt: iso(r.created_at)!,
  };
}
