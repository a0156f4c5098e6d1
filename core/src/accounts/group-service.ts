import { injectable } from '../infra/di.ts';
import { z } from 'zod';
import { conflict, notFound } from '../http/errors.ts';
import type { Tenant } from '../tenancy/tenant.ts';

export const groupBody = z.strictObject({
  name: z.string().trim().min(1).max(30),
  description: z.string().trim().max(200).nullable().optional(),
  memberIds: z.array(z.number().int().positive()).max(500).optional(),
});
export const groupPatch = groupBody.partial();
export const groupView = z.object({ id: z.number(), name: z.string(), description: z.string().nullable(), memberIds: z.array(z.number()) });

/** Two saves racing for one name: the unique index decides, and the loser gets the same 409 as a sequential one. */
const nameRace = (err: any): never => {
  if (err?.code === '23505' && err?.constraint === 'groups_company_name') throw conflict('group_name_taken', 'A group with this name exists');
  throw err;
};

/** Groups (分组, SPEC §3.3): name unique in the company ignoring case. */
@injectable()
export class GroupService {
  async list(t: Tenant): Promise<{ id: number; name: string; description: string | null; memberIds: number[] }[]> {
    const groups = await t.q('groups').orderBy('name');
    const members = await t.q('group_members').select('group_id', 'agent_id');
    return groups.map((g: any) => ({
      id: Number(g.id),
      name: g.name,
      description: g.description,
      memberIds: members.filter((m: any) => Number(m.group_id) === Number(g.id)).map((m: any) => Number(m.agent_id)),
    }));
  }

  async create(t: Tenant, input: z.output<typeof groupBody>) {
    const id = await t
      .transaction(async (tt) => {
        await this.assertNameFree(tt, input.name);
        const [row] = await tt.insert('groups', { name: input.name, description: input.description ?? null }).returning('id');
        if (input.memberIds) await this.setMembers(tt, Number(row.id), input.memberIds);
        return Number(row.id);
      })
      .catch(nameRace);
    return this.one(t, id);
  }

  async update(t: Tenant, id: number, input: z.output<typeof groupPatch>) {
    await t
      .transaction(async (tt) => {
        await this.one(tt, id);
        if (input.name) await this.assertNameFree(tt, input.name, id);
        const patch: Record<string, unknown> = {};
        if (input.name !== undefined) patch.name = input.name;
        if (input.description !== undefined) patch.description = input.description;
        if (Object.keys(patch).length) await tt.q('groups').where({ id }).update(patch);
        if (input.memberIds) await this.setMembers(tt, id, input.memberIds);
      })
      .catch(nameRace);
    return this.one(t, id);
  }

  async remove(t: Tenant, id: number) {
    await this.one(t, id);
    await t.q('groups').where({ id }).delete();
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
