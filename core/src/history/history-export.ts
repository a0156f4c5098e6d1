import type { Readable } from 'node:stream';
import { inject, injectable } from '../infra/di.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { conflict } from '../http/errors.ts';
import { EXPORT_MIME, EXPORT_TUNING, type ExportPlan } from '../exports/export-plan.ts';
import { toMessageView } from '../conversations/conversation-mapper.ts';
import type { MessageView } from '../protocol/message-schemas.ts';
import { exportLabels, listCells, messageCells, timeFormatter, type ExportConversation } from './export-cells.ts';
import { csvStream, xlsxStream } from './export-writers.ts';
import { htmlStream, type HtmlBatch } from './html-writer.ts';
import { filteredConversations } from './history-query.ts';
import { rowColumns, toHistoryRows } from './history-rows.ts';
import type { ExportQuery, HistoryFilters } from './history-schemas.ts';
import { HistoryService } from './history-service.ts';

/** HISTORY-EXPORT-10 limits per export. */
export const EXPORT_LIMITS = { conversations: 100_000, messages: 2_000_000, html: 5_000 };

/**
 * Exports of the visible, ended conversations a search finds (HISTORY-EXPORT-10), streamed:
 * conversations are read 500 at a time by keyset and written out as the client (or the
 * export job's file) reads, so 100,000 conversations never sit in memory.
 */
@injectable()
export class HistoryExport {
  constructor(@inject(HistoryService) private readonly history: HistoryService) {}

  /** Counts and checks the limits; the file is written when the plan is opened. */
  async plan(auth: AuthInfo, x: ExportQuery): Promise<ExportPlan> {
    const { format, content, ...filters } = x;
    // Only ended conversations are exported; a running one has no final transcript yet.
    const f: HistoryFilters = { ...filters, status: 'ended' };
    const rules = await this.history.companyRules(auth.tenant);
    const { q } = await this.history.query(auth, f);
    const [totals] = await q.clone().select(auth.tenant.unscoped.raw('count(*)::int as n, coalesce(sum(c.last_seq), 0)::bigint as m'));
    const count = Number(totals.n);
    const messageRows = Number(totals.m);
    if (count > EXPORT_LIMITS.conversations || (format === 'html' && count > EXPORT_LIMITS.html))
      throw conflict('export_too_large', 'Too many conversations for one export; narrow the search', {
        count,
        limit: format === 'html' ? EXPORT_LIMITS.html : EXPORT_LIMITS.conversations,
      });
    if (format !== 'html' && content === 'messages' && messageRows > EXPORT_LIMITS.messages)
      throw conflict('export_too_large', 'Too many messages for one export; narrow the search', { count: messageRows, limit: EXPORT_LIMITS.messages });
    const labels = exportLabels(auth.agent.language);
    const time = timeFormatter(rules.timeZone);
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: rules.timeZone }).format(new Date()).replaceAll('-', '');
    const filename = `kefu-conversations-${format === 'html' ? 'transcripts' : content}-${day}.${format}`;
    const open = (progress?: (rows: number) => Promise<void>): Readable => {
      const batches = () => this.batches(auth, f, rules.editableAfter, progress);
      const withMessages = () => this.withMessages(auth, batches());
      if (format === 'html') return htmlStream(labels.title, withMessages(), time, labels);
      const table =
        content === 'list'
          ? { headers: labels.list, rows: mapRows(batches(), (batch) => batch.map((c) => listCells(c, time, labels))) }
          : {
              headers: labels.messages,
              rows: mapRows(withMessages(), (b) => b.conversations.flatMap((c) => (b.messages.get(c.row.id) ?? []).map((m) => messageCells(m, time)))),
            };
      return format === 'csv' ? csvStream(table) : xlsxStream(table, content === 'list' ? 'conversations' : 'messages');
    };
    return { count, filename, contentType: EXPORT_MIME[format], audit: { action: 'history.export', new: { filters: f, format, content, count } }, open };
  }

  /** The matching conversations, newest first, a batch at a time (keyset on start time and id); `progress` hears of each batch once it is written. */
  private async *batches(
    auth: AuthInfo,
    f: HistoryFilters,
    editableAfter: Date,
    progress?: (rows: number) => Promise<void>,
  ): AsyncGenerator<ExportConversation[]> {
    const size = EXPORT_TUNING.batch;
    const t = auth.tenant;
    const range = this.history.range(f, (await this.history.companyRules(t)).timeZone);
    let after: [string, number] | null = null;
    for (;;) {
      const q = filteredConversations(t, this.history.viewer(auth), f, range);
      if (after) q.whereRaw('(c.created_at, c.id) < (?::timestamptz, ?)', after);
      const rows = await q
        .select(...rowColumns(t), t.unscoped.raw('c.created_at::text as sort_value'))
        .orderBy([
          { column: 'c.created_at', order: 'desc' },
          { column: 'c.id', order: 'desc' },
        ])
        .limit(size);
      if (!rows.length) return;
      const history = await toHistoryRows(t, rows, { editableAfter, preview: false });
      yield history.map((row, i) => ({ row, email: rows[i].visitor_email ?? null, mobile: rows[i].visitor_phone ?? null, ip: rows[i].visitor_ip ?? null }));
      await progress?.(rows.length);
      if (rows.length < size) return;
      const last = rows[rows.length - 1];
      after = [last.sort_value, Number(last.id)];
    }
  }

  /** Adds each batch's messages in order (whispers marked by their kind; exports are for agents). */
  private async *withMessages(auth: AuthInfo, batches: AsyncIterable<ExportConversation[]>): AsyncGenerator<HtmlBatch> {
    for await (const conversations of batches) {
      const rows = await auth.tenant
        .q('messages')
        .whereIn(
          'conversation_id',
          conversations.map((c) => c.row.id),
        )
        .orderBy(['conversation_id', 'seq']);
      const messages = new Map<number, MessageView[]>();
      for (const r of rows) {
        const m = toMessageView(r);
        const list = messages.get(m.conversationId);
        if (list) list.push(m);
        else messages.set(m.conversationId, [m]);
      }
      yield { conversations, messages };
    }
  }
}

async function* mapRows<T>(source: AsyncIterable<T>, cells: (batch: T) => string[][]): AsyncGenerator<string[]> {
  for await (const batch of source) yield* cells(batch);
}
