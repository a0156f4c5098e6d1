import type { Knex } from 'knex';
import { inject, injectable } from '../infra/di.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { conflict, forbidden, notFound } from '../http/errors.ts';
import type { Tenant } from '../tenancy/tenant.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { afterListChange } from './canned-versions.ts';
import { inScope, KINDS, MAX_GROUPS, ownerOf, scopeOf, type Scope, type ToolKind } from './tool-kinds.ts';

export const toGroupView = (r: any) => ({
  id: Number(r.id),
  scope: scopeOf(r),
  name: r.name,
  builtin: r.builtin ?? null,
  position: r.position,
});

const duplicate = () =>
  conflict('group_exists', 'A group with this name already exists', { fields: [{ path: 'name', code: 'group_exists', message: 'Name in use' }] });

/** Refuses company-scope changes without the list's permission (CHATSET-PERMS-14). */
export function assertMayEdit(auth: AuthInfo, kind: ToolKind, scope: Scope) {
  if (scope === 'company' && !auth.can(KINDS[kind].permission)) throw forbidden(KINDS[kind].permission);
}

/**
 * The group tree of each list and scope (CHATSET-CANNED-7): a scope starts with
 * its built-in groups the first time anyone looks at it, so new companies and
 * new agents need no seeding step.
 */
@injectable()
export class ToolGroupService {
  constructor(@inject(TOKENS.Clock) private readonly clock: Clock) {}

  async list(auth: AuthInfo, kind: ToolKind, scope: Scope) {
    const owner = ownerOf(scope, auth.agent.id);
    await this.ensure(auth.tenant, kind, owner);
    const rows = await inScope(auth.tenant.q('agent_tool_groups').where({ kind }), owner).orderBy([{ column: 'position' }, { column: 'id' }]);
    return rows.map(toGroupView);
  }

  /** Seeds the built-in groups of an empty scope; the unique name index makes concurrent seeding harmless. */
  async ensure(t: Tenant, kind: ToolKind, owner: number | null) {
    const any = await inScope(t.q('agent_tool_groups').where({ kind }), owner).first('id');
    if (any) return;
    const now = this.clock.now();
    const rows = KINDS[kind].builtins.map((b, i) => ({ kind, agent_id: owner, name: b.name, builtin: b.key, position: i, created_at: now, updated_at: now }));
    await t.insert('agent_tool_groups', rows).onConflict().ignore();
  }

  /** The group an entry goes into: the one named (in the same list and scope) or the scope's first. */
  async resolve(t: Tenant, kind: ToolKind, owner: number | null, groupId: number | undefined): Promise<number> {
    if (groupId === undefined) await this.ensure(t, kind, owner);
    const q = inScope(t.q('agent_tool_groups').where({ kind }), owner);
    const row = groupId === undefined ? await q.orderBy([{ column: 'position' }, { column: 'id' }]).first('id') : await q.where({ id: groupId }).first('id');
    if (!row)
      throw conflict('group_not_found', 'No such group in this list', { fields: [{ path: 'groupId', code: 'group_not_found', message: 'Unknown group' }] });
    return Number(row.id);
  }

  async create(auth: AuthInfo, kind: ToolKind, scope: Scope, name: string) {
    assertMayEdit(auth, kind, scope);
    const owner = ownerOf(scope, auth.agent.id);
    const t = auth.tenant;
    await this.ensure(t, kind, owner);
    const count = await inScope(t.q('agent_tool_groups').where({ kind }), owner).count({ n: '*' }).first();
    if (Number(count?.n) >= MAX_GROUPS) throw conflict('too_many_groups', `At most ${MAX_GROUPS} groups`);
    const max = await inScope(t.q('agent_tool_groups').where({ kind }), owner).max({ p: 'position' }).first();
    const now = this.clock.now();
    try {
      const [row] = await t
        .insert('agent_tool_groups', { kind, agent_id: owner, name, position: Number(max?.p ?? -1) + 1, created_at: now, updated_at: now })
        .returning('*');
      await afterListChange(auth, kind, owner, now);
      return toGroupView(row);
    } catch (err: any) {
      if (err?.code === '23505') throw duplicate();
      throw err;
    }
  }

  async rename(auth: AuthInfo, kind: ToolKind, id: number, name: string) {
    const row = await this.editable(auth, kind, id);
    try {
      const [updated] = await auth.tenant
        .q('agent_tool_groups')
        .where({ id: row.id })
        .update({ name, builtin: name === row.name ? row.builtin : null, updated_at: this.clock.now() })
        .returning('*');
      await afterListChange(auth, kind, row.agent_id == null ? null : Number(row.agent_id), this.clock.now());
      return toGroupView(updated);
    } catch (err: any) {
      if (err?.code === '23505') throw duplicate();
      throw err;
    }
  }

  /** Only an empty group goes, and never a scope's last one (entries always have a group). */
  async remove(auth: AuthInfo, kind: ToolKind, id: number) {
    const row = await this.editable(auth, kind, id);
    const t = auth.tenant;
    if (await t.q(KINDS[kind].table).where({ group_id: row.id }).first('id')) throw conflict('group_not_empty', 'Move or delete its entries first');
    const siblings = await inScope(t.q('agent_tool_groups').where({ kind }), row.agent_id == null ? null : Number(row.agent_id))
      .count({ n: '*' })
      .first();
    if (Number(siblings?.n) <= 1) throw conflict('last_group', 'A list keeps at least one group');
    await t.q('agent_tool_groups').where({ id: row.id }).del();
    await afterListChange(auth, kind, row.agent_id == null ? null : Number(row.agent_id), this.clock.now());
  }

  /** Drag ordering: `ids` are the scope's groups in their new order; any not named keep theirs after them. */
  async reorder(auth: AuthInfo, kind: ToolKind, scope: Scope, ids: number[]) {
    assertMayEdit(auth, kind, scope);
    const owner = ownerOf(scope, auth.agent.id);
    await reorderRows(auth.tenant, 'agent_tool_groups', ids, (q) => inScope(q.where({ kind }), owner), { updated_at: this.clock.now() });
    await afterListChange(auth, kind, owner, this.clock.now());
    return this.list(auth, kind, scope);
  }

  /** A group the caller may change: their own personal one, or a company one with the permission. */
  private async editable(auth: AuthInfo, kind: ToolKind, id: number) {
    const row = await auth.tenant.q('agent_tool_groups').where({ id, kind }).first();
    if (!row || (row.agent_id != null && Number(row.agent_id) !== auth.agent.id)) throw notFound('Group not found');
    assertMayEdit(auth, kind, scopeOf(row));
    return row;
  }
}

/** Gives `ids` positions 0…n in one transaction; ids outside `within` are refused as a whole. */
export async function reorderRows(t: Tenant, table: string, ids: number[], within: (q: Knex.QueryBuilder) => Knex.QueryBuilder, extra: object = {}) {
  const unique = [...new Set(ids)];
  await t.transaction(async (tt) => {
    const found = await within(tt.q(table)).whereIn('id', unique).select('id');
    if (found.length !== unique.length) throw notFound('Some entries do not exist in this list');
    for (const [i, id] of unique.entries())
      await tt
        .q(table)
        .where({ id })
        .update({ ...extra, position: i });
  });
}
