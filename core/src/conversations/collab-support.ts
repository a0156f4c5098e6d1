import type { Tenant } from '../tenancy/tenant.ts';
import type { SocketCaller } from '../plugins/plugin-types.ts';
import type { InvitationView, TransferView } from '../protocol/collab-events.ts';
import type { Candidate } from './routing-service.ts';

/** Shared pieces of the agent actions of SPEC §2.1 (transfer, monitor, invitations). */

/**
 * A pending transfer not answered within this time is rejected with reason `timeout` (CONV-TRANSFER-30): the default
 * of the company setting 传送响应时间 (chat settings `transferTimeoutSeconds`), and the timeout of rows sent before
 * each transfer kept its own `expires_at`.
 */
export const TRANSFER_TIMEOUT_MS = 60_000;

/** When a transfer row times out: its own `expires_at`, else the default after it was sent. */
export const transferExpiresAt = (r: any): Date => (r.expires_at ? new Date(r.expires_at) : new Date(new Date(r.created_at).getTime() + TRANSFER_TIMEOUT_MS));
/** An invitation shown "until answered" (display duration 0, INVITE-POPUP-2) still expires after this long, as its visitor may be gone. */
export const INVITATION_UNANSWERED_MS = 3_600_000;
/** A visitor who declined cannot be invited again for this long (VISITOR-INVITE-9). */
export const INVITATION_COOLDOWN_MS = 60_000;
/** At most this many invitations per agent per minute (VISITOR-INVITE-9). */
export const INVITATIONS_PER_MINUTE = 30;

/** Statuses in which an agent can take a chat someone hands over (invisible is admins only). */
export const TAKING_STATUSES = ['online', 'busy', 'invisible'] as const;

/** The acting agent, as the socket dispatcher loaded it for this event. */
export interface Actor {
  companyId: number;
  agentId: number;
  nickname: string;
  isAdmin: boolean;
  can(permission: string): boolean;
}

export const actorOf = (c: SocketCaller): Actor => ({
  companyId: c.companyId,
  agentId: c.agentId,
  nickname: c.auth.agent.nickname,
  isAdmin: c.auth.agent.role === 'admin',
  can: (p) => c.can(p),
});

/**
 * Who may receive a transfer from `actor` (CONV-TRANSFER-28/29): present, holding
 * conversation.accept, 在线 or 忙碌 — or 隐身 (only admins can be) when the
 * sender is an admin. An invisible admin is simply absent for everyone else.
 */
export function transferTargets(candidates: Candidate[], actor: Pick<Actor, 'agentId' | 'isAdmin'>): Candidate[] {
  return candidates.filter(
    (c) => c.agentId !== actor.agentId && c.canAccept && (c.status === 'online' || c.status === 'busy' || (c.status === 'invisible' && actor.isAdmin)),
  );
}

/** Active, not disabled or deleted agents of the tenant. */
export async function agentsById(t: Tenant, ids: number[]): Promise<Map<number, { id: number; nickname: string; role: string }>> {
  if (!ids.length) return new Map();
  const rows = await t.q('agents').whereIn('id', ids).whereNull('deleted_at').select('id', 'nickname', 'role');
  return new Map(rows.map((r: any) => [Number(r.id), { id: Number(r.id), nickname: r.nickname, role: r.role }]));
}

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);
const nums = (a: unknown): number[] => (Array.isArray(a) ? a.map(Number) : []);
const num = (v: unknown) => (v == null ? null : Number(v));

export const offeredTo = (row: any): number[] => nums(row.offered_to);
export const declinedBy = (row: any): number[] => nums(row.declined_by);

export function toTransferView(r: any): TransferView {
  return {
    id: Number(r.id),
    conversationId: Number(r.conversation_id),
    fromAgentId: Number(r.from_agent_id),
    toAgentId: num(r.to_agent_id),
    toGroupId: num(r.to_group_id),
    note: r.note ?? null,
    status: r.status,
    reason: r.reason ?? null,
    answeredBy: num(r.answered_by),
    createdAt: iso(r.created_at)!,
    respondedAt: iso(r.responded_at),
    expiresAt: transferExpiresAt(r).toISOString(),
  };
}

export function toInvitationView(r: any, agentNickname: string | null): InvitationView {
  return {
    id: Number(r.id),
    visitorId: Number(r.visitor_id),
    agentId: num(r.agent_id),
    agentNickname,
    kind: r.kind,
    status: r.status,
    text: r.text ?? null,
    conversationId: num(r.conversation_id),
    createdAt: iso(r.created_at)!,
    respondedAt: iso(r.responded_at),
  };
}
