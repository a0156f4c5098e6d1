import type { AgentRow } from './agent-schemas.ts';

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

export function toAgentRow(r: any, groups: { id: number; name: string }[]): AgentRow {
  return {
    id: Number(r.id),
    agentId: r.agent_id,
    name: r.name,
    nickname: r.nickname,
    email: r.email,
    phone: r.phone,
    role: r.role,
    isPrimary: r.is_primary,
    permissions: r.permissions ?? [],
    groups,
    maxChats: r.max_chats,
    language: r.language,
    note: r.note,
    disabled: !!r.disabled_at,
    lastLoginAt: iso(r.last_login_at),
    createdAt: iso(r.created_at)!,
    version: r.version,
  };
}
