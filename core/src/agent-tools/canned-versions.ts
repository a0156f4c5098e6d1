import type { AuthInfo } from '../auth/auth-info.ts';
import type { Tenant } from '../tenancy/tenant.ts';
import { inScope, KINDS, type ToolKind } from './tool-kinds.ts';
import type { CannedList } from './tool-schemas.ts';

/** CHATSET-CANNEDHISTORY-9: the last 50 versions of each scope are kept. */
export const KEPT_VERSIONS = 50;

/** A canned-reply scope as it is now: its groups in order, then every entry by group and position. */
export async function cannedSnapshot(t: Tenant, owner: number | null): Promise<CannedList> {
  const groups = await inScope(t.q('agent_tool_groups').where({ kind: 'canned' }), owner).orderBy([{ column: 'position' }, { column: 'id' }]);
  const rows = await inScope(t.q(`${KINDS.canned.table} as i`), owner, 'i.agent_id')
    .join('agent_tool_groups as g', 'g.id', 'i.group_id')
    .orderBy([{ column: 'g.position' }, { column: 'g.id' }, { column: 'i.position' }, { column: 'i.id' }])
    .select('g.name as group', 'i.title', 'i.content', 'i.shortcut');
  return {
    groups: groups.map((g: any) => g.name),
    entries: rows.map((r: any) => ({ group: r.group, title: r.title ?? null, content: r.content, shortcut: r.shortcut ?? null })),
  };
}

/**
 * Stores the scope's current list as a version and drops those beyond the last
 * 50. Called after every save of a canned-reply scope, whichever screen made it.
 */
export async function recordCannedVersion(t: Tenant, owner: number | null, authorId: number, now: Date) {
  const list = await cannedSnapshot(t, owner);
  await t.insert('canned_versions', { agent_id: owner, author_id: authorId, entries: JSON.stringify(list), entry_count: list.entries.length, created_at: now });
  const keep = inScope(t.q('canned_versions'), owner).orderBy('id', 'desc').limit(KEPT_VERSIONS).select('id');
  await inScope(t.q('canned_versions'), owner).whereNotIn('id', keep).del();
}

/** After a change made entry by entry (side panel, list screen): only canned replies keep versions. */
export async function afterListChange(auth: AuthInfo, kind: ToolKind, owner: number | null, now: Date) {
  if (kind === 'canned') await recordCannedVersion(auth.tenant, owner, auth.agent.id, now);
}
