import type { Tenant } from '../tenancy/tenant.ts';
import { anyTermQuery, DURATION } from './history-query.ts';
import type { HistoryRow } from './history-schemas.ts';
import { fold, keywordTerms, messageSearchText } from './search-tokens.ts';

/** The columns of a history row, selected on the query of filteredConversations. */
export const rowColumns = (t: Tenant) => [
  'c.id',
  'c.status',
  'c.created_at',
  'c.ended_at',
  'c.visitor_id',
  'c.agent_id',
  'c.group_id',
  'c.channel',
  'c.initiator',
  'c.end_reason',
  'c.topic',
  'c.eval_valid',
  'c.eval_note',
  'c.eval_valuable',
  'c.rating',
  'c.last_seq',
  'v.number as visitor_number',
  'v.name as visitor_name',
  'v.region as visitor_region',
  'v.email as visitor_email',
  'v.phone as visitor_phone',
  'v.last_ip as visitor_ip',
  t.unscoped.raw(`${DURATION} as duration`),
];

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

/** Where each term occurs in the folded text (folding keeps one character per character, so offsets hold). */
function highlights(text: string, terms: string[]) {
  const folded = fold(text);
  const found: { start: number; length: number }[] = [];
  for (const term of terms) for (let i = folded.indexOf(term); i >= 0; i = folded.indexOf(term, i + term.length)) found.push({ start: i, length: term.length });
  return found.sort((a, b) => a.start - b.start);
}

/**
 * Turns a page (or an export batch) of conversation rows into history rows: the agent
 * chain from accepted transfers, group names, the preview line and the lock of HISTORY-LOCK-9.
 */
export async function toHistoryRows(t: Tenant, rows: any[], opts: { keyword?: string; editableAfter: Date; preview?: boolean }): Promise<HistoryRow[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => Number(r.id));
  const transfers = await t
    .q('transfers')
    .whereIn('conversation_id', ids)
    .where('status', 'accepted')
    .orderBy(['conversation_id', 'responded_at', 'id'])
    .select('conversation_id', 'from_agent_id', t.unscoped.raw('coalesce(answered_by, to_agent_id) as to_agent'));
  const chains = new Map<number, number[]>();
  for (const tr of transfers) {
    const chain = chains.get(Number(tr.conversation_id)) ?? [Number(tr.from_agent_id)];
    if (tr.to_agent != null) chain.push(Number(tr.to_agent));
    chains.set(Number(tr.conversation_id), chain);
  }
  const agentIds = new Set<number>([...chains.values()].flat());
  for (const r of rows) if (r.agent_id != null) agentIds.add(Number(r.agent_id));
  const agents = new Map<number, string>(
    (
      await t
        .q('agents')
        .whereIn('id', [...agentIds])
        .select('id', 'nickname')
    ).map((a: any) => [Number(a.id), a.nickname as string]),
  );
  const groupIds = [...new Set(rows.filter((r) => r.group_id != null).map((r) => Number(r.group_id)))];
  const groups = new Map<number, string>((await t.q('groups').whereIn('id', groupIds).select('id', 'name')).map((g: any) => [Number(g.id), g.name as string]));
  const previews = opts.preview === false ? new Map() : await previewsOf(t, ids, opts.keyword);

  return rows.map((r) => {
    const id = Number(r.id);
    const chain = chains.get(id) ?? (r.agent_id != null ? [Number(r.agent_id)] : []);
    return {
      id,
      status: r.status,
      startedAt: iso(r.created_at)!,
      endedAt: iso(r.ended_at),
      visitor: { id: Number(r.visitor_id), number: Number(r.visitor_number), name: r.visitor_name ?? null, region: r.visitor_region ?? null },
      agents: chain.filter((a, i) => a !== chain[i - 1]).map((a) => ({ id: a, nickname: agents.get(a) ?? null })),
      group: r.group_id != null ? { id: Number(r.group_id), name: groups.get(Number(r.group_id)) ?? '' } : null,
      channel: r.channel,
      initiator: r.initiator,
      endReason: r.end_reason ?? null,
      topic: r.topic ?? null,
      evaluation: r.eval_valid == null ? null : r.eval_valid ? 'valid' : 'invalid',
      valuable: !!r.eval_valuable,
      note: r.eval_note ?? null,
      rating: r.rating == null ? null : Number(r.rating),
      durationSeconds: r.duration == null ? null : Math.round(Number(r.duration)),
      messageCount: Number(r.last_seq),
      locked: r.ended_at != null && new Date(r.ended_at) < opts.editableAfter,
      preview: previews.get(id) ?? null,
    };
  });
}

/** HISTORY-LIST-4 preview line: the first matching message with its terms, else the visitor's first message. */
async function previewsOf(t: Tenant, ids: number[], keyword?: string) {
  // One look per conversation along its (conversation_id, seq) index: as a join, PostgreSQL
  // misjudges a phrase as rare and reads every message of the company containing it.
  const match = keyword ? 'm.search_tsv @@ ?::tsquery' : "m.sender_kind = 'visitor' and m.kind <> 'system'";
  const { rows } = await t.unscoped.raw(
    `select p.* from (values ${ids.map(() => '(?::bigint)').join(', ')}) as ids(id) cross join lateral (
       select m.conversation_id, m.sender_kind, m.kind, m.text, m.payload from messages m
        where m.conversation_id = ids.id and m.company_id = ? and ${match} order by m.seq limit 1) p`,
    [...ids, t.companyId, ...(keyword ? [anyTermQuery(keyword)] : [])],
  );
  const terms = keyword ? keywordTerms(keyword) : [];
  const out = new Map<number, HistoryRow['preview']>();
  for (const m of rows) {
    const text = messageSearchText({ senderKind: m.sender_kind, kind: m.kind, text: m.text, payload: m.payload }) ?? '';
    out.set(Number(m.conversation_id), { text, highlights: highlights(text, terms) });
  }
  return out;
}
