import type { AuthInfo } from '../auth/auth-info.ts';
import { likeArg } from './tool-kinds.ts';
import { toItemView } from './tool-views.ts';

const LIMIT = 10;

/**
 * What typing `/text` in the input offers (CHATSET-CANNEDUSE-8): entries whose
 * shortcut starts with the text first, then those whose shortcut, title or
 * content contains it; a personal shortcut hides the company entry with the
 * same code (CHATSET-CANNED-7).
 */
export async function suggestCanned(auth: AuthInfo, text: string) {
  const q = auth.tenant
    .q('canned_replies as i')
    .where((w) => w.whereNull('i.agent_id').orWhere('i.agent_id', auth.agent.id))
    .orderBy([{ column: 'i.position' }, { column: 'i.id' }])
    .limit(200);
  if (text) q.where((w) => ['i.shortcut', 'i.title', 'i.content'].forEach((c) => w.orWhereILike(c, likeArg(text))));
  const rows: any[] = await q;
  const lower = text.toLowerCase();
  const personalCodes = new Set(rows.filter((r) => r.agent_id != null && r.shortcut).map((r) => r.shortcut.toLowerCase()));
  const rank = (r: any) => (r.shortcut?.toLowerCase().startsWith(lower) ? 0 : 2) + (r.agent_id == null ? 1 : 0);
  return rows
    .filter((r) => r.agent_id != null || !r.shortcut || !personalCodes.has(r.shortcut.toLowerCase()))
    .sort((a, b) => rank(a) - rank(b))
    .slice(0, LIMIT)
    .map((r) => toItemView('canned', r));
}
