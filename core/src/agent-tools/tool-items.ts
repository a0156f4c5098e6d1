import { inject, injectable } from '../infra/di.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { conflict, notFound } from '../http/errors.ts';
import type { Tenant } from '../tenancy/tenant.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { afterListChange } from './canned-versions.ts';
import { CommonFileCodec, plainCodecs, type ToolCodec } from './tool-codecs.ts';
import { assertMayEdit, reorderRows, ToolGroupService } from './tool-groups.ts';
import { inScope, KINDS, likeArg, ownerOf, SCOPES, scopeOf, type Scope, type ToolKind } from './tool-kinds.ts';
import type { ListQuery } from './tool-schemas.ts';
import { toItemView } from './tool-views.ts';

/**
 * Entries of the three lists (CHATSET-CANNED-7, CHATSET-LINKS-12,
 * CHATSET-FILES-13): every agent reads the company scope and their own
 * personal scope; another agent's personal entries answer 404.
 */
@injectable()
export class ToolItemService {
  private readonly codecs: Record<ToolKind, ToolCodec>;

  constructor(
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(ToolGroupService) private readonly groups: ToolGroupService,
    @inject(CommonFileCodec) files: CommonFileCodec,
  ) {
    this.codecs = { canned: plainCodecs.canned!, link: plainCodecs.link!, file: files };
  }

  private base(t: Tenant, kind: ToolKind) {
    const spec = KINDS[kind];
    const q = t.q(`${spec.table} as i`).select('i.*');
    return spec.select ? spec.select(q) : q;
  }

  /** Server-side search and pagination of one scope (SPEC Lists). */
  async list(auth: AuthInfo, kind: ToolKind, query: ListQuery) {
    const q = inScope(this.base(auth.tenant, kind), ownerOf(query.scope, auth.agent.id), 'i.agent_id');
    if (query.groupId) q.where('i.group_id', query.groupId);
    if (query.q) q.where((w) => KINDS[kind].searchColumns.forEach((c) => w.orWhereILike(c, likeArg(query.q!))));
    const total = Number((await q.clone().clearSelect().clearOrder().count({ n: '*' }).first())?.n ?? 0);
    const rows = await q
      .orderBy([{ column: 'i.group_id' }, { column: 'i.position' }, { column: 'i.id' }])
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize);
    return { items: rows.map((r: any) => toItemView(kind, r)), total, page: query.page, pageSize: query.pageSize };
  }

  /** Everything the side panel shows: both scopes' groups and entries, in order. */
  async tree(auth: AuthInfo, kind: ToolKind) {
    const groups = (await Promise.all(SCOPES.map((s) => this.groups.list(auth, kind, s)))).flat();
    const rows = await this.base(auth.tenant, kind)
      .where((w) => w.whereNull('i.agent_id').orWhere('i.agent_id', auth.agent.id))
      .orderBy([{ column: 'i.position' }, { column: 'i.id' }]);
    return { groups, items: rows.map((r: any) => toItemView(kind, r)), canEditCompany: auth.can(KINDS[kind].permission) };
  }

  /** An entry the caller may see: a company one, or one of their own. */
  async find(auth: AuthInfo, kind: ToolKind, id: number) {
    const row = await this.base(auth.tenant, kind).where('i.id', id).first();
    if (!row || (row.agent_id != null && Number(row.agent_id) !== auth.agent.id)) throw notFound('Entry not found');
    return row;
  }

  async create(auth: AuthInfo, kind: ToolKind, input: { scope: Scope; groupId?: number } & Record<string, unknown>) {
    assertMayEdit(auth, kind, input.scope);
    const t = auth.tenant;
    const owner = ownerOf(input.scope, auth.agent.id);
    const limit = KINDS[kind].limits[input.scope];
    const count = await inScope(t.q(KINDS[kind].table), owner).count({ n: '*' }).first();
    if (Number(count?.n) >= limit) throw conflict('too_many_entries', `At most ${limit} entries in this list`, { limit });
    const groupId = await this.groups.resolve(t, kind, owner, input.groupId);
    const columns = await this.codecs[kind].columns(t, input, true);
    const max = await t.q(KINDS[kind].table).where({ group_id: groupId }).max({ p: 'position' }).first();
    const now = this.clock.now();
    const [row] = await this.write(kind, () =>
      t
        .insert(KINDS[kind].table, { ...columns, agent_id: owner, group_id: groupId, position: Number(max?.p ?? -1) + 1, created_at: now, updated_at: now })
        .returning('id'),
    );
    await afterListChange(auth, kind, owner, now);
    return toItemView(kind, await this.find(auth, kind, Number(row.id)));
  }

  async update(auth: AuthInfo, kind: ToolKind, id: number, input: { groupId?: number } & Record<string, unknown>) {
    const before = await this.editable(auth, kind, id);
    const t = auth.tenant;
    const owner = before.agent_id == null ? null : Number(before.agent_id);
    const columns = await this.codecs[kind].columns(t, input, false);
    if (input.groupId !== undefined) columns.group_id = await this.groups.resolve(t, kind, owner, input.groupId);
    await this.write(kind, () =>
      t
        .q(KINDS[kind].table)
        .where({ id })
        .update({ ...columns, updated_at: this.clock.now() }),
    );
    const after = await this.find(auth, kind, id);
    await this.codecs[kind].released?.(t, before, after);
    await afterListChange(auth, kind, owner, this.clock.now());
    return toItemView(kind, after);
  }

  async remove(auth: AuthInfo, kind: ToolKind, id: number) {
    const before = await this.editable(auth, kind, id);
    await auth.tenant.q(KINDS[kind].table).where({ id }).del();
    await this.codecs[kind].released?.(auth.tenant, before, null);
    await afterListChange(auth, kind, before.agent_id == null ? null : Number(before.agent_id), this.clock.now());
  }

  /** Drag ordering inside one group. */
  async reorder(auth: AuthInfo, kind: ToolKind, input: { scope: Scope; groupId: number; ids: number[] }) {
    assertMayEdit(auth, kind, input.scope);
    const owner = ownerOf(input.scope, auth.agent.id);
    await reorderRows(auth.tenant, KINDS[kind].table, input.ids, (q) => inScope(q.where({ group_id: input.groupId }), owner), { updated_at: this.clock.now() });
    await afterListChange(auth, kind, owner, this.clock.now());
  }

  private async editable(auth: AuthInfo, kind: ToolKind, id: number) {
    const row = await this.find(auth, kind, id);
    assertMayEdit(auth, kind, scopeOf(row));
    return row;
  }

  private async write<T>(kind: ToolKind, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err: any) {
      const duplicate = this.codecs[kind].duplicate;
      if (err?.code === '23505' && duplicate) throw duplicate();
      throw err;
    }
  }
}
