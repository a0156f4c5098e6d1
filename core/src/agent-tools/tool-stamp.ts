import type { AuthInfo } from '../auth/auth-info.ts';

const TABLES = ['agent_tool_groups', 'canned_replies', 'common_links', 'common_files'];

/**
 * A value that changes whenever anything the agent sees in the three lists
 * changes (latest change and row count per table): the side panel polls it
 * and reloads only on a change, so others' edits show within 5 seconds
 * (WORKBENCH-CANNED-3) without a socket event per edit.
 */
export async function toolStamp(auth: AuthInfo): Promise<string> {
  const parts = await Promise.all(
    TABLES.map((table) =>
      auth.tenant
        .q(table)
        .where((w) => w.whereNull('agent_id').orWhere('agent_id', auth.agent.id))
        .first(auth.tenant.unscoped.raw('count(*) as n'), auth.tenant.unscoped.raw('max(updated_at) as at')),
    ),
  );
  return parts.map((p: any) => `${p?.n ?? 0}@${p?.at ? new Date(p.at).getTime() : 0}`).join('.');
}
