import { z } from 'zod';
import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { readChatSettings } from '../conversations/chat-settings.ts';
import { PresenceService } from '../presence/presence-service.ts';
import { shownStatus } from '../presence/presence-view.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { TOKENS } from '../tokens.ts';

export const rosterView = z.object({
  agents: z.array(
    z.object({
      id: z.number(),
      agentId: z.string().describe('Sign-in ID'),
      name: z.string(),
      nickname: z.string(),
      status: z.enum(['online', 'busy', 'away', 'invisible', 'offline']),
      since: z.string().nullable().describe('When the shown status began (server clock)'),
      reason: z.string().nullable().describe('Why, from the status log: manual, login, idle, forced, …'),
      load: z.number().nullable().describe('Open conversations, for holders of conversation.accept'),
      cap: z.number().nullable(),
      groupIds: z.array(z.number()),
    }),
  ),
  groups: z.array(z.object({ id: z.number(), name: z.string() })),
});
export type RosterView = z.output<typeof rosterView>;

/**
 * 客服列表 (SPEC INTERNAL-ROSTER-1) with one status everywhere (INTERNAL-PRESENCE-2):
 * every enabled colleague with their groups, the status the viewer may see and
 * since when and why; an invisible admin is 离线 since nothing, to non-admins.
 */
@injectable()
export class InternalRoster {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(PresenceService) private readonly presence: PresenceService,
  ) {}

  async list(companyId: number, viewer: { agentId: number; isAdmin: boolean }): Promise<RosterView> {
    const t = new Tenant(this.db, companyId);
    const company = await t.unscoped('companies').where({ id: t.companyId }).first('chat_settings');
    const defaultCap = readChatSettings(company?.chat_settings).defaultCap;
    const [rows, members, groups] = await Promise.all([
      t
        .q('agents as a')
        .leftJoin('agent_presence as p', 'p.agent_id', 'a.id')
        .joinRaw(
          'left join lateral (select l.created_at, l.reason from agent_status_log l where l.agent_id = a.id order by l.created_at desc limit 1) s on true',
        )
        .whereNull('a.disabled_at')
        .whereNull('a.deleted_at')
        .whereNot('a.id', viewer.agentId)
        .select(
          'a.id',
          'a.agent_id',
          'a.name',
          'a.nickname',
          'a.role',
          'a.permissions',
          'a.max_chats',
          'p.status',
          'p.heartbeat_at',
          'p.gone_at',
          's.created_at as since',
          's.reason',
          t.unscoped.raw("(select count(*)::int from conversations c where c.agent_id = a.id and c.status = 'active') as load"),
        ),
      t.q('group_members').select('group_id', 'agent_id'),
      t.q('groups').orderBy('name').select('id', 'name'),
    ]);
    const groupsOf = new Map<number, number[]>();
    for (const m of members) groupsOf.set(Number(m.agent_id), [...(groupsOf.get(Number(m.agent_id)) ?? []), Number(m.group_id)]);
    const agents: RosterView['agents'] = rows.map((r: any) => {
      const status = shownStatus(r.status, this.presence.isFresh(r.heartbeat_at), viewer.isAdmin);
      const hidden = status === 'offline' && r.status === 'invisible' && this.presence.isFresh(r.heartbeat_at);
      const since = status === 'offline' ? (hidden ? null : r.gone_at) : r.since;
      const accepts = r.role === 'admin' || (r.permissions ?? []).includes('conversation.accept');
      return {
        id: Number(r.id),
        agentId: r.agent_id,
        name: r.name,
        nickname: r.nickname,
        status,
        since: since ? new Date(since).toISOString() : null,
        reason: status === 'offline' ? null : (r.reason ?? null),
        load: accepts ? Number(r.load) : null,
        cap: accepts ? (r.max_chats ?? defaultCap) : null,
        groupIds: groupsOf.get(Number(r.id)) ?? [],
      };
    });
    // Online first, then by nickname (INTERNAL-ROSTER-1).
    agents.sort((a, b) => Number(a.status === 'offline') - Number(b.status === 'offline') || a.nickname.localeCompare(b.nickname, 'zh-CN'));
    return { agents, groups: groups.map((g: any) => ({ id: Number(g.id), name: g.name })) };
  }
}
