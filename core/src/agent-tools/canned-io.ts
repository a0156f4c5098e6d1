import { inject, injectable } from '../infra/di.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { readTable, unguardCell, writeTable, type TableFormat } from '../infra/table-files.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { CannedLibrary } from './canned-library.ts';
import { cannedSnapshot, recordCannedVersion } from './canned-versions.ts';
import { assertMayEdit } from './tool-groups.ts';
import { KINDS, ownerOf, type Scope } from './tool-kinds.ts';
import { cannedListEntry, type CannedListEntry } from './tool-schemas.ts';

/** CHATSET-CANNEDIO-11 columns; an exported file imports back unchanged. */
export const COLUMNS = ['分组', '标题', '内容', '快捷码', '排序'] as const;
export const MAX_ROWS = 5000;
export const MAX_BYTES = 5 * 1024 * 1024;

interface Rejected {
  row: number;
  reason: string;
  message: string;
}

const sameEntry = (e: { group: string; content: string }) => `${e.group.toLowerCase()}\u0000${e.content}`;

/** Export and import of one canned-reply scope as CSV or XLSX (CHATSET-CANNEDIO-11). */
@injectable()
export class CannedIo {
  constructor(
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(CannedLibrary) private readonly library: CannedLibrary,
  ) {}

  /** 排序 is the entry's place in its group, from 1. */
  async export(auth: AuthInfo, scope: Scope, format: TableFormat): Promise<Buffer> {
    const list = await cannedSnapshot(auth.tenant, ownerOf(scope, auth.agent.id));
    const place = new Map<string, number>();
    const rows = list.entries.map((e) => {
      const n = (place.get(e.group) ?? 0) + 1;
      place.set(e.group, n);
      return [e.group, e.title ?? '', e.content, e.shortcut ? `/${e.shortcut}` : '', n];
    });
    return writeTable(format, COLUMNS, rows, scope === 'company' ? '公司常用语' : '个人常用语');
  }

  /**
   * Good rows are stored as one version; each bad row is reported with its
   * number in the file (1 = the header) and why. 替换 keeps the list before it
   * as a version of its own, so nothing is lost.
   */
  async import(auth: AuthInfo, scope: Scope, format: TableFormat, data: Buffer, mode: 'append' | 'replace') {
    assertMayEdit(auth, 'canned', scope);
    const fail = (reason: string, message: string) => ({ added: 0, skipped: 0, rejected: [{ row: 0, reason, message }] });
    const table = await readTable(format, data, COLUMNS.length).catch(() => null);
    if (!table) return fail('unreadable_file', `Not a ${format.toUpperCase()} file`);
    if (table.length - 1 > MAX_ROWS) return fail('too_many_rows', `At most ${MAX_ROWS} rows`);

    const owner = ownerOf(scope, auth.agent.id);
    const limit = KINDS.canned.limits[scope];
    return auth.tenant.transaction(async (t) => {
      const current = await cannedSnapshot(t, owner);
      const kept = mode === 'append' ? current.entries : [];
      const seen = new Set(kept.map(sameEntry));
      const shortcuts = new Set(kept.flatMap((e) => (e.shortcut ? [e.shortcut.toLowerCase()] : [])));
      const rejected: Rejected[] = [];
      const accepted: { entry: CannedListEntry; order: number; row: number }[] = [];
      let skipped = 0;
      for (let i = 1; i < table.length; i++) {
        const [group, title, content, shortcut, order] = table[i].map((c) => unguardCell(c).trim());
        const row = i + 1;
        const parsed = cannedListEntry.safeParse({ group: group || KINDS.canned.builtins[1].name, title, content, shortcut });
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          rejected.push({ row, reason: String((issue as any).params?.code ?? issue.code), message: `${issue.path.join('.')}: ${issue.message}` });
          continue;
        }
        const entry = parsed.data;
        if (seen.has(sameEntry(entry))) {
          skipped++;
          continue;
        }
        const code = entry.shortcut?.toLowerCase();
        if (code && shortcuts.has(code)) {
          rejected.push({ row, reason: 'shortcut_taken', message: `/${entry.shortcut} is already used in this list` });
          continue;
        }
        if (kept.length + accepted.length >= limit) {
          rejected.push({ row, reason: 'too_many_entries', message: `At most ${limit} entries in this list` });
          continue;
        }
        seen.add(sameEntry(entry));
        if (code) shortcuts.add(code);
        accepted.push({ entry, order: /^\d{1,6}$/.test(order) ? Number(order) : Number.MAX_SAFE_INTEGER, row });
      }
      const entries = accepted.sort((a, b) => a.order - b.order || a.row - b.row).map((a) => a.entry);
      if (mode === 'replace') {
        await recordCannedVersion(t, owner, auth.agent.id, this.clock.now());
        await this.library.replaceEntries(t, owner, { groups: [], entries });
      } else await this.library.appendEntries(t, owner, entries);
      if (entries.length || mode === 'replace') await recordCannedVersion(t, owner, auth.agent.id, this.clock.now());
      return { added: entries.length, skipped, rejected };
    });
  }
}
