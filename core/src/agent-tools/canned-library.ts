import { inject, injectable } from '../infra/di.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { conflict, notFound, validationFailed, type FieldProblem } from '../http/errors.ts';
import type { Tenant } from '../tenancy/tenant.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { assertMayEdit, ToolGroupService } from './tool-groups.ts';
import { inScope, KINDS, MAX_GROUPS, ownerOf, type Scope } from './tool-kinds.ts';
import { cannedSnapshot, recordCannedVersion } from './canned-versions.ts';
import type { CannedList, CannedListEntry } from './tool-schemas.ts';

const TABLE = KINDS.canned.table;

const authorView = (r: any) => (r.author_id == null ? null : { id: Number(r.author_id), name: r.author_name ?? '' });

/**
 * A canned-reply scope as one list, the way the 常用语管理 editor works on it
 * (CHATSET-CANNEDHISTORY-9, CHATSET-CANNEDDRAFT-10): every save of a scope,
 * whether an entry edit from the side panel, a published list or an import,
 * leaves a version; a draft is a list kept aside without publishing it.
 */
@injectable()
export class CannedLibrary {
  constructor(
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(ToolGroupService) private readonly groups: ToolGroupService,
  ) {}

  async versions(auth: AuthInfo, scope: Scope) {
    assertMayEdit(auth, 'canned', scope);
    const rows = await this.withAuthor(inScope(auth.tenant.q('canned_versions as v'), ownerOf(scope, auth.agent.id), 'v.agent_id'))
      .orderBy('v.id', 'desc')
      .select('v.id', 'v.entry_count', 'v.created_at');
    return rows.map((r: any) => ({ id: Number(r.id), createdAt: new Date(r.created_at).toISOString(), author: authorView(r), entryCount: r.entry_count }));
  }

  /** One version's list, for review in the editor; loading changes nothing until it is published. */
  async version(auth: AuthInfo, scope: Scope, id: number) {
    assertMayEdit(auth, 'canned', scope);
    const r = await this.withAuthor(inScope(auth.tenant.q('canned_versions as v'), ownerOf(scope, auth.agent.id), 'v.agent_id'))
      .where('v.id', id)
      .first('v.id', 'v.entries', 'v.created_at');
    if (!r) throw notFound('Version not found');
    return { id: Number(r.id), createdAt: new Date(r.created_at).toISOString(), author: authorView(r), list: parseList(r.entries) };
  }

  async draft(auth: AuthInfo, scope: Scope) {
    assertMayEdit(auth, 'canned', scope);
    const r = await this.withAuthor(inScope(auth.tenant.q('canned_drafts as v'), ownerOf(scope, auth.agent.id), 'v.agent_id')).first(
      'v.entries',
      'v.created_at',
    );
    return { draft: r ? { savedAt: new Date(r.created_at).toISOString(), savedBy: authorView(r), list: parseList(r.entries) } : null };
  }

  /** 保存为草稿: replaces the scope's draft; the published list is untouched. */
  async saveDraft(auth: AuthInfo, scope: Scope, list: CannedList) {
    assertMayEdit(auth, 'canned', scope);
    const owner = ownerOf(scope, auth.agent.id);
    await auth.tenant.transaction(async (t) => {
      await inScope(t.q('canned_drafts'), owner).del();
      await t.insert('canned_drafts', {
        agent_id: owner,
        author_id: auth.agent.id,
        entries: JSON.stringify(list),
        entry_count: list.entries.length,
        created_at: this.clock.now(),
      });
    });
    return this.draft(auth, scope);
  }

  /** Makes `list` the scope's content as one new version; the draft goes (CHATSET-CANNEDDRAFT-10). */
  async publish(auth: AuthInfo, scope: Scope, list: CannedList) {
    assertMayEdit(auth, 'canned', scope);
    const problems = checkList(list.entries, KINDS.canned.limits[scope]);
    if (problems.length) throw validationFailed(problems);
    const owner = ownerOf(scope, auth.agent.id);
    await auth.tenant.transaction(async (t) => {
      await this.replaceEntries(t, owner, list);
      await inScope(t.q('canned_drafts'), owner).del();
      await recordCannedVersion(t, owner, auth.agent.id, this.clock.now());
    });
    return cannedSnapshot(auth.tenant, owner);
  }

  /**
   * The scope's entries become `list.entries`, in its order; groups are matched
   * by name (created when missing, never removed) and ordered as `list.groups`,
   * then as the entries name them, then the rest.
   */
  async replaceEntries(t: Tenant, owner: number | null, list: CannedList) {
    await inScope(t.q(TABLE), owner).del();
    await this.appendEntries(t, owner, list.entries, [...list.groups, ...list.entries.map((e) => e.group)]);
  }

  /** Adds entries at the end of their groups; `groupOrder` names go first in that order. */
  async appendEntries(t: Tenant, owner: number | null, entries: CannedListEntry[], groupOrder: string[] = []) {
    const ids = await this.groupIds(t, owner, [...groupOrder, ...entries.map((e) => e.group)], groupOrder.length > 0);
    const next = new Map<number, number>();
    for (const r of await inScope(t.q(TABLE), owner).groupBy('group_id').select('group_id', t.unscoped.raw('max(position) as p')))
      next.set(Number(r.group_id), Number(r.p) + 1);
    const now = this.clock.now();
    const rows = entries.map((e) => {
      const groupId = ids.get(e.group.toLowerCase())!;
      const position = next.get(groupId) ?? 0;
      next.set(groupId, position + 1);
      return { agent_id: owner, group_id: groupId, position, title: e.title, content: e.content, shortcut: e.shortcut, created_at: now, updated_at: now };
    });
    // Chunks keep each statement well under PostgreSQL's 65,535 bind parameters.
    for (let i = 0; i < rows.length; i += 500) await t.insert(TABLE, rows.slice(i, i + 500));
  }

  /** Group ids by lower-cased name, creating missing groups; `reorder` puts `names` first in their order. */
  private async groupIds(t: Tenant, owner: number | null, names: string[], reorder: boolean) {
    await this.groups.ensure(t, 'canned', owner);
    const scope = () => inScope(t.q('agent_tool_groups').where({ kind: 'canned' }), owner);
    const existing = await scope().orderBy([{ column: 'position' }, { column: 'id' }]);
    const ids = new Map<string, number>(existing.map((g: any) => [g.name.toLowerCase(), Number(g.id)]));
    const wanted = [...new Map(names.map((n) => [n.toLowerCase(), n])).entries()];
    const missing = wanted.filter(([k]) => !ids.has(k));
    if (existing.length + missing.length > MAX_GROUPS) throw conflict('too_many_groups', `At most ${MAX_GROUPS} groups`);
    const now = this.clock.now();
    for (const [i, [key, name]] of missing.entries()) {
      const [row] = await t
        .insert('agent_tool_groups', { kind: 'canned', agent_id: owner, name, position: existing.length + i, created_at: now, updated_at: now })
        .returning('id');
      ids.set(key, Number(row.id));
    }
    if (reorder) {
      const order = [...new Set([...wanted.map(([k]) => ids.get(k)!), ...existing.map((g: any) => Number(g.id))])];
      for (const [position, id] of order.entries()) await scope().where({ id }).update({ position, updated_at: now });
    }
    return ids;
  }

  private withAuthor(q: any) {
    return q.leftJoin('agents as au', 'au.id', 'v.author_id').select('v.author_id', 'au.nickname as author_name');
  }
}

const parseList = (v: unknown): CannedList => (typeof v === 'string' ? JSON.parse(v) : v) as CannedList;

/**
 * What a whole list must satisfy beyond each entry's own rules (CHATSET-CANNED-7):
 * the scope's entry limit and shortcut codes unique within it.
 */
export function checkList(entries: CannedListEntry[], limit: number, path = 'entries'): FieldProblem[] {
  if (entries.length > limit) return [{ path, code: 'too_many_entries', message: `At most ${limit} entries in this list` }];
  const seen = new Set<string>();
  const problems: FieldProblem[] = [];
  entries.forEach((e, i) => {
    const code = e.shortcut?.toLowerCase();
    if (!code) return;
    if (seen.has(code)) problems.push({ path: `${path}.${i}.shortcut`, code: 'shortcut_taken', message: `/${e.shortcut} is used twice` });
    seen.add(code);
  });
  return problems;
}
