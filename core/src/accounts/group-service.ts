import { inject, injectable } from '../infra/di.ts';
import { z } from 'zod';
import { conflict, fieldError, notFound } from '../http/errors.ts';
import { RoutingService } from '../conversations/routing-service.ts';
import { scopeGroupSql } from '../conversations/conversation-mapper.ts';
import type { Tenant } from '../tenancy/tenant.ts';
import { GroupChatPush } from '../internal/group-chat-push.ts';

/** GROUP-OVERFLOW-7: 留言 (default), another group, or the whole company, after 0–600 s with members on duty but none free. */
export const groupOverflow = z.strictObject({
  target: z.enum(['leave_message', 'group', 'company']),
  groupId: z.number().int().positive().nullable().default(null),
  waitSeconds: z.number().int().min(0).max(600).default(60),
});
export const groupBody = z.strictObject({
  name: z.string().trim().min(1).max(30),
  description: z.string().trim().max(200).nullable().optional(),
  memberIds: z.array(z.number().int().positive()).max(500).optional(),
  overflow: groupOverflow.optional(),
});
export const groupPatch = groupBody.partial();
export const groupView = z.object({
  id: z.number(),
  name: z.string(),
  description: z.string().nullable(),
  memberIds: z.array(z.number()),
  overflow: z.object({ target: z.enum(['leave_message', 'group', 'company']), groupId: z.number().nullable(), waitSeconds: z.number() }),
  /** GROUP-STATE-6, GROUP-LIST-1: the members' state now, how many are on duty (在线 or 忙碌), how many visitors wait for the group. */
  live: z.object({ state: z.enum(['online', 'busy', 'offline']), onDuty: z.number(), waiting: z.number() }),
});
type GroupView = z.infer<typeof groupView>;

/** Two saves racing for one name: the unique index decides, and the loser gets the same 409 as a sequential one. */
const nameRace = (err: any): never => {
  if (err?.code === '23505' && err?.constraint === 'groups_company_name') throw conflict('group_name_taken', 'A group with this name exists');
  throw err;
};

/** Groups (分组, SPEC §3.3): name unique in the company ignoring case. */
@injectable()
export class GroupService {
  constructor(
    @inject(RoutingService) private readonly routing: RoutingService,
    @inject(GroupChatPush) private readonly chat: GroupChatPush,
  ) {}

  async list(t: Tenant): Promise<GroupView[]> {
    const [groups, members, present, queued] = await Promise.all([
      t.q('groups').orderBy('name'),
      t.q('group_members').select('group_id', 'agent_id'),
      this.routing.candidates(t.companyId, null, await this.routing.settings(t.companyId)),
      t
        .q('conversations')
        .where({ status: 'queued' })
        .whereNull('served_by_plugin')
        .select(t.unscoped.raw(`${scopeGroupSql('conversations')} as scope`))
        .count<{ scope: string | null; n: string }[]>('* as n')
        .groupBy('scope'),
    ]);
    // ICON-STATE-7's rule over the members who may take chats.
    const takers = new Map(present.filter((c) => c.canAccept).map((c) => [c.agentId, c.status]));
    const waiting = new Map(queued.map((q) => [Number(q.scope), Number(q.n)]));
    return groups.map((g: any) => {
      const memberIds: number[] = members.filter((m: any) => Number(m.group_id) === Number(g.id)).map((m: any) => Number(m.agent_id));
      const statuses = memberIds.map((id) => takers.get(id));
      const state = statuses.includes('online') ? 'online' : statuses.includes('busy') ? 'busy' : 'offline';
      return {
        id: Number(g.id),
        name: g.name,
        description: g.description,
        memberIds,
        overflow: {
          target: g.overflow_target,
          groupId: g.overflow_group_id == null ? null : Number(g.overflow_group_id),
          waitSeconds: g.overflow_wait_seconds,
        },
        live: { state, onDuty: statuses.filter((s) => s === 'online' || s === 'busy').length, waiting: waiting.get(Number(g.id)) ?? 0 },
      };
    });
  }

  async create(t: Tenant, input: z.output<typeof groupBody>) {
    const id = await t
      .transaction(async (tt) => {
        await this.assertNameFree(tt, input.name);
        const [row] = await tt.insert('groups', { name: input.name, description: input.description ?? null }).returning('id');
        if (input.overflow) await this.setOverflow(tt, Number(row.id), input.overflow);
        if (input.memberIds) await this.setMembers(tt, Number(row.id), input.memberIds);
        return Number(row.id);
      })
      .catch(nameRace);
    this.chat.announce({ threadId: null, memberIds: new Set() }, await this.chat.members(t, id));
    return this.one(t, id);
  }

  async update(t: Tenant, id: number, input: z.output<typeof groupPatch>) {
    const before = input.memberIds ? await this.chat.members(t, id) : null;
    await t
      .transaction(async (tt) => {
        await this.exists(tt, id);
        if (input.name) await this.assertNameFree(tt, input.name, id);
        const patch: Record<string, unknown> = {};
        if (input.name !== undefined) patch.name = input.name;
        if (input.description !== undefined) patch.description = input.description;
        if (Object.keys(patch).length) await tt.q('groups').where({ id }).update(patch);
        if (input.overflow) await this.setOverflow(tt, id, input.overflow);
        if (input.memberIds) await this.setMembers(tt, id, input.memberIds);
      })
      .catch(nameRace);
    if (before) this.chat.announce(before, await this.chat.members(t, id));
    return this.one(t, id);
  }

  async remove(t: Tenant, id: number) {
    await this.exists(t, id);
    const before = await this.chat.members(t, id);
    await t.q('groups').where({ id }).delete();
    this.chat.announce(before, null);
  }

  /** Inside a transaction: the live figures read outside it (one connection on the embedded database). */
  private async exists(t: Tenant, id: number) {
    if (!(await t.q('groups').where({ id }).first('id'))) throw notFound('Group not found');
  }

  private async one(t: Tenant, id: number) {
    const g = (await this.list(t)).find((x) => x.id === id);
    if (!g) throw notFound('Group not found');
    return g;
  }

  private async assertNameFree(t: Tenant, name: string, exceptId?: number) {
    const q = t.q('groups').whereRaw('lower(name) = lower(?)', [name]);
    if (exceptId) q.whereNot({ id: exceptId });
    if (await q.first('id')) throw conflict('group_name_taken', 'A group with this name exists');
  }

  private async setOverflow(t: Tenant, groupId: number, o: z.output<typeof groupOverflow>) {
    const target = o.target === 'group' ? o.groupId : null;
    if (o.target === 'group') {
      if (target == null) throw fieldError('overflow.groupId', 'required', 'Choose the group that takes the overflow');
      if (target === groupId) throw fieldError('overflow.groupId', 'same_group', 'A group cannot overflow to itself');
      if (!(await t.q('groups').where({ id: target }).first('id'))) throw fieldError('overflow.groupId', 'group_not_found', 'Group not found');
    }
    await t.q('groups').where({ id: groupId }).update({ overflow_target: o.target, overflow_group_id: target, overflow_wait_seconds: o.waitSeconds });
  }

  private async setMembers(t: Tenant, groupId: number, memberIds: number[]) {
    const ids = [...new Set(memberIds)];
    const found = ids.length ? await t.q('agents').whereIn('id', ids).whereNull('deleted_at').select('id') : [];
    if (found.length !== ids.length) throw notFound('Agent not found');
    await t.q('group_members').where({ group_id: groupId }).delete();
    if (ids.length)
      await t.insert(
        'group_members',
        ids.map((a) => ({ group_id: groupId, agent_id: a })),
      );
  }
}
