import { z } from 'zod';
import type { AuthInfo } from '../auth/auth-info.ts';
import { conflict, fieldError, forbiddenCode, notFound } from '../http/errors.ts';
import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { InternalFiles } from './internal-files.ts';

/** INTERNAL-GROUPCHAT-7: an ad-hoc chat holds 3–50 members, and an agent belongs to at most 200 of them. */
export const ADHOC_MIN = 3;
export const ADHOC_MAX = 50;
export const ADHOC_PER_AGENT = 200;

export const threadView = z.object({
  id: z.number(),
  kind: z.enum(['group', 'adhoc']).describe("group: a 分组's chat, members follow the group; adhoc: created by an agent"),
  name: z.string().describe("An ad-hoc chat's name, or the group's name"),
  groupId: z.number().nullable(),
  creatorId: z.number().nullable(),
  memberIds: z.array(z.number()),
  muted: z.boolean().describe('The caller muted it: only @mentions notify'),
  canManage: z.boolean().describe('The caller may rename, add and remove members and dissolve (ad-hoc: creator and admins)'),
  canMentionAll: z.boolean().describe('The caller may use @所有人'),
});
export type ThreadView = z.output<typeof threadView>;

/** What a member may see of a thread: messages with an id above `joinedAfterId`. */
export interface Membership {
  thread: { id: number; kind: 'group' | 'adhoc'; groupId: number | null; creatorId: number | null; name: string | null };
  joinedAfterId: number;
  lastReadId: number;
  muted: boolean;
}

const isAdmin = (auth: AuthInfo) => auth.agent.role === 'admin';

/**
 * Group and ad-hoc chats (SPEC INTERNAL-GROUPCHAT-7): who belongs to a thread
 * and who may change it. A group's membership is kept by the database
 * (migration 057) whatever changes the group, so a removed member loses access
 * at once; everything here asks `member()` first, and a thread the caller is
 * not in (or of another company) answers `404 not_found`.
 */
@injectable()
export class InternalThreads {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(RealtimeNotifier) private readonly notifier: RealtimeNotifier,
    @inject(InternalFiles) private readonly files: InternalFiles,
  ) {}

  async member(t: Tenant, threadId: number, agentId: number): Promise<Membership> {
    const row = await t
      .q('internal_thread_members as m')
      .join('internal_threads as th', 'th.id', 'm.thread_id')
      .where({ 'm.thread_id': threadId, 'm.agent_id': agentId })
      .whereNull('m.left_at')
      .first('th.id', 'th.kind', 'th.group_id', 'th.creator_id', 'th.name', 'm.joined_after_id', 'm.last_read_id', 'm.muted');
    if (!row) throw notFound('Chat not found');
    return {
      thread: {
        id: Number(row.id),
        kind: row.kind,
        groupId: row.group_id == null ? null : Number(row.group_id),
        creatorId: row.creator_id == null ? null : Number(row.creator_id),
        name: row.name,
      },
      joinedAfterId: Number(row.joined_after_id),
      lastReadId: Number(row.last_read_id),
      muted: !!row.muted,
    };
  }

  /** The thread's current members with their nicknames (for @mentions). */
  async members(t: Tenant, threadId: number): Promise<{ id: number; nickname: string }[]> {
    const rows = await t
      .q('internal_thread_members as m')
      .join('agents as a', 'a.id', 'm.agent_id')
      .where({ 'm.thread_id': threadId })
      .whereNull('m.left_at')
      .orderBy('m.agent_id')
      .select('a.id', 'a.nickname');
    return rows.map((r: any) => ({ id: Number(r.id), nickname: r.nickname }));
  }

  mayManage(auth: AuthInfo, m: Membership): boolean {
    return m.thread.kind === 'adhoc' && (m.thread.creatorId === auth.agent.id || isAdmin(auth));
  }

  mayMentionAll(auth: AuthInfo, m: Membership): boolean {
    if (m.thread.kind === 'group') return isAdmin(auth) || auth.agent.permissions.includes('groups.manage');
    return m.thread.creatorId === auth.agent.id || isAdmin(auth);
  }

  /** Every thread the agent belongs to, group chats first. */
  async list(auth: AuthInfo): Promise<ThreadView[]> {
    const t = new Tenant(this.db, auth.companyId);
    const mine = await t.q('internal_thread_members').where({ agent_id: auth.agent.id }).whereNull('left_at').select('thread_id');
    return this.views(
      t,
      auth,
      mine.map((r: any) => Number(r.thread_id)),
    );
  }

  async get(auth: AuthInfo, threadId: number): Promise<ThreadView> {
    const t = new Tenant(this.db, auth.companyId);
    await this.member(t, threadId, auth.agent.id);
    return (await this.views(t, auth, [threadId]))[0];
  }

  async create(auth: AuthInfo, input: { name: string; memberIds: number[] }): Promise<ThreadView> {
    const t = new Tenant(this.db, auth.companyId);
    const ids = [...new Set([auth.agent.id, ...input.memberIds])];
    if (ids.length < ADHOC_MIN) throw fieldError('memberIds', 'too_few', `A chat needs at least ${ADHOC_MIN} members, you included`);
    if (ids.length > ADHOC_MAX) throw fieldError('memberIds', 'too_many', `A chat holds at most ${ADHOC_MAX} members`);
    const id = await t.transaction(async (tt) => {
      await this.assertAgents(tt, ids);
      await this.assertRoom(tt, ids);
      const [row] = await tt
        .insert('internal_threads', { kind: 'adhoc', name: input.name, creator_id: auth.agent.id, created_at: this.clock.now() })
        .returning('id');
      await tt.insert(
        'internal_thread_members',
        ids.map((a) => ({ thread_id: row.id, agent_id: a })),
      );
      return Number(row.id);
    });
    return this.pushChanged(t, auth, id);
  }

  async rename(auth: AuthInfo, threadId: number, name: string): Promise<ThreadView> {
    const t = new Tenant(this.db, auth.companyId);
    await this.managed(t, auth, threadId);
    await t.q('internal_threads').where({ id: threadId }).update({ name });
    return this.pushChanged(t, auth, threadId);
  }

  /** New members see messages from now on. */
  async addMembers(auth: AuthInfo, threadId: number, agentIds: number[]): Promise<ThreadView> {
    const t = new Tenant(this.db, auth.companyId);
    await this.managed(t, auth, threadId);
    await t.transaction(async (tt) => {
      const current = new Set((await this.members(tt, threadId)).map((m) => m.id));
      const fresh = [...new Set(agentIds)].filter((a) => !current.has(a));
      if (!fresh.length) return;
      if (current.size + fresh.length > ADHOC_MAX) throw fieldError('memberIds', 'too_many', `A chat holds at most ${ADHOC_MAX} members`);
      await this.assertAgents(tt, fresh);
      await this.assertRoom(tt, fresh);
      const last = await tt.q('internal_messages').where({ thread_id: threadId }).max('id as id').first();
      const after = Number(last?.id ?? 0);
      await tt.insert(
        'internal_thread_members',
        fresh.map((a) => ({ thread_id: threadId, agent_id: a, joined_after_id: after, last_read_id: after })),
      );
    });
    return this.pushChanged(t, auth, threadId);
  }

  /** By the creator or an admin; a member who is removed loses the thread at once. */
  async removeMember(auth: AuthInfo, threadId: number, agentId: number): Promise<ThreadView | null> {
    const t = new Tenant(this.db, auth.companyId);
    await this.managed(t, auth, threadId);
    return this.drop(t, auth, threadId, agentId);
  }

  /** Any member of an ad-hoc chat; a group's chat follows the group and cannot be left. */
  async leave(auth: AuthInfo, threadId: number): Promise<{ left: true }> {
    const t = new Tenant(this.db, auth.companyId);
    const m = await this.member(t, threadId, auth.agent.id);
    if (m.thread.kind === 'group') throw conflict('group_chat', "A group's chat follows the group's membership");
    await this.drop(t, auth, threadId, auth.agent.id);
    return { left: true };
  }

  /** 解散: the thread and its messages are deleted for everyone. */
  async dissolve(auth: AuthInfo, threadId: number): Promise<{ dissolved: true }> {
    const t = new Tenant(this.db, auth.companyId);
    await this.managed(t, auth, threadId);
    const members = await this.members(t, threadId);
    await this.files.removeThread(t, threadId);
    await t.q('internal_threads').where({ id: threadId }).delete();
    for (const m of members) this.notifier.toAgents(rooms.agent(m.id), 'internal.threadRemoved', { threadId, reason: 'dissolved' });
    return { dissolved: true };
  }

  /** 免打扰: a muted chat notifies only when the agent is @mentioned (or @所有人). */
  async mute(auth: AuthInfo, threadId: number, muted: boolean): Promise<ThreadView> {
    const t = new Tenant(this.db, auth.companyId);
    await this.member(t, threadId, auth.agent.id);
    await t.q('internal_thread_members').where({ thread_id: threadId, agent_id: auth.agent.id }).update({ muted });
    const [view] = await this.views(t, auth, [threadId]);
    this.notifier.toAgents(rooms.agent(auth.agent.id), 'internal.threadChanged', { threadId });
    return view;
  }

  /** Read position: everything up to the thread's latest message. */
  async markRead(t: Tenant, threadId: number, agentId: number): Promise<number> {
    const last = await t.q('internal_messages').where({ thread_id: threadId }).max('id as id').first();
    const upTo = Number(last?.id ?? 0);
    return t
      .q('internal_thread_members')
      .where({ thread_id: threadId, agent_id: agentId })
      .where('last_read_id', '<', upTo)
      .update({ last_read_id: upTo, read_at: this.clock.now() });
  }

  private async drop(t: Tenant, auth: AuthInfo, threadId: number, agentId: number): Promise<ThreadView | null> {
    const gone = await t.q('internal_thread_members').where({ thread_id: threadId, agent_id: agentId }).whereNull('left_at').delete();
    if (!gone) throw notFound('Member not found');
    this.notifier.toAgents(rooms.agent(agentId), 'internal.threadRemoved', { threadId, reason: agentId === auth.agent.id ? 'left' : 'removed' });
    // The last member takes the thread's messages with them (INTERNAL-HISTORY-9).
    if (!(await t.q('internal_thread_members').where({ thread_id: threadId }).first('agent_id'))) {
      await this.files.removeThread(t, threadId);
      await t.q('internal_threads').where({ id: threadId }).delete();
      return null;
    }
    return this.pushChanged(t, auth, threadId);
  }

  private async managed(t: Tenant, auth: AuthInfo, threadId: number): Promise<Membership> {
    const m = await this.member(t, threadId, auth.agent.id);
    if (m.thread.kind === 'group') throw conflict('group_chat', "A group's chat follows the group: change the group instead");
    if (!this.mayManage(auth, m)) throw forbiddenCode('chat_manage_forbidden', 'Only the chat creator and admins may change this chat');
    return m;
  }

  /** Enabled agents of this company; anyone else does not exist here. */
  private async assertAgents(t: Tenant, ids: number[]) {
    const found = await t.q('agents').whereIn('id', ids).whereNull('deleted_at').whereNull('disabled_at').select('id');
    if (found.length !== ids.length) throw notFound('Agent not found');
  }

  /** `409 chat_limit` naming the agents who already belong to 200 ad-hoc chats. */
  private async assertRoom(t: Tenant, ids: number[]) {
    const rows = await t
      .q('internal_thread_members as m')
      .join('internal_threads as th', 'th.id', 'm.thread_id')
      .where('th.kind', 'adhoc')
      .whereIn('m.agent_id', ids)
      .groupBy('m.agent_id')
      .havingRaw('count(*) >= ?', [ADHOC_PER_AGENT])
      .select('m.agent_id');
    if (rows.length)
      throw conflict('chat_limit', `An agent may belong to at most ${ADHOC_PER_AGENT} chats`, { agentIds: rows.map((r: any) => Number(r.agent_id)) });
  }

  /** Every member's consoles learn that the thread changed and ask for their own view (`internal.thread`). */
  private async pushChanged(t: Tenant, auth: AuthInfo, threadId: number): Promise<ThreadView> {
    const [view] = await this.views(t, auth, [threadId]);
    for (const id of view.memberIds) this.notifier.toAgents(rooms.agent(id), 'internal.threadChanged', { threadId });
    return view;
  }

  private async views(t: Tenant, auth: AuthInfo, threadIds: number[]): Promise<ThreadView[]> {
    if (!threadIds.length) return [];
    const [threads, members] = await Promise.all([
      t
        .q('internal_threads as th')
        .leftJoin('groups as g', 'g.id', 'th.group_id')
        .whereIn('th.id', threadIds)
        .select('th.id', 'th.kind', 'th.name', 'th.group_id', 'th.creator_id', 'g.name as group_name'),
      t.q('internal_thread_members').whereIn('thread_id', threadIds).whereNull('left_at').orderBy('agent_id').select('thread_id', 'agent_id', 'muted'),
    ]);
    const views: ThreadView[] = threads.map((th: any): ThreadView => {
      const mine = members.filter((m: any) => Number(m.thread_id) === Number(th.id));
      const me = mine.find((m: any) => Number(m.agent_id) === auth.agent.id);
      const m: Membership = {
        thread: {
          id: Number(th.id),
          kind: th.kind,
          groupId: th.group_id == null ? null : Number(th.group_id),
          creatorId: th.creator_id == null ? null : Number(th.creator_id),
          name: th.name,
        },
        joinedAfterId: 0,
        lastReadId: 0,
        muted: !!me?.muted,
      };
      return {
        id: m.thread.id,
        kind: m.thread.kind,
        name: th.kind === 'group' ? th.group_name : th.name,
        groupId: m.thread.groupId,
        creatorId: m.thread.creatorId,
        memberIds: mine.map((x: any) => Number(x.agent_id)),
        muted: m.muted,
        canManage: this.mayManage(auth, m),
        canMentionAll: this.mayMentionAll(auth, m),
      };
    });
    return views.sort((a: ThreadView, b: ThreadView) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'group' ? -1 : 1));
  }
}
