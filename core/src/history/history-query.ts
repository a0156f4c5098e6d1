import type { Knex } from 'knex';
import type { Tenant } from '../tenancy/tenant.ts';
import type { HistoryFilters } from './history-schemas.ts';
import { keywordTerms, termQuery } from './search-tokens.ts';

/** Who is searching: HISTORY-VISIBILITY-5 decides which conversations exist for them. */
export interface Viewer {
  agentId: number;
  seesAll: boolean;
  /**
   * Holds `conversation.monitor` without being an admin: also sees the running conversations of the
   * agents CONV-MONITOR-35 lets them monitor (not admins, not themselves; HISTORY-ONGOING-13, P1B-A31).
   */
  monitorsRunning?: boolean;
}

/** Days in the company's time zone, both included (SPEC "Time"). */
export interface DayRange {
  from: string;
  to: string;
  timeZone: string;
}

/** Seconds from acceptance (or the request) to the end; null while running. */
export const DURATION = 'extract(epoch from (c.ended_at - coalesce(c.accepted_at, c.created_at)))';

const likeArg = (s: string) => `%${s.replace(/[\\%_]/g, (ch) => '\\' + ch)}%`;
const senderKinds = { visitor: ['visitor'], agent: ['agent', 'plugin'] } as const;

/** Served: assigned at any point, or transferred it away, or took it in by transfer. */
function servedBy(q: Knex.QueryBuilder, k: Knex | Knex.Transaction, agentIds: number[]) {
  q.where((w) =>
    w.whereIn('c.agent_id', agentIds).orWhereExists(
      k('transfers as tr')
        .select(k.raw('1'))
        .whereRaw('tr.conversation_id = c.id and tr.company_id = c.company_id')
        .where((x) =>
          x
            .whereIn('tr.from_agent_id', agentIds)
            .orWhere((y) =>
              y.where('tr.status', 'accepted').whereRaw(`coalesce(tr.answered_by, tr.to_agent_id) in (${agentIds.map(() => '?').join(', ')})`, agentIds),
            ),
        ),
    ),
  );
}

/**
 * How keyword terms are matched. `index`: each term's conversations come from the GIN index
 * (fast for rare terms). `probe`: each candidate conversation is checked on its own messages,
 * in the scan's order (fast for common terms, when the first page fills after a few rows);
 * OFFSET 0 keeps PostgreSQL from turning the check back into a join over every match.
 */
export type KeywordMode = 'index' | 'probe';

/** The conversations of the company matching every filter, as `c` joined with visitors `v`; nothing selected yet. */
export function filteredConversations(t: Tenant, viewer: Viewer, f: HistoryFilters, range: DayRange | null, mode: KeywordMode = 'index'): Knex.QueryBuilder {
  const k = t.unscoped;
  const q = t.q('conversations as c').join('visitors as v', 'v.id', 'c.visitor_id');
  if (!viewer.seesAll)
    q.where((w) => {
      servedBy(w, k, [viewer.agentId]);
      // Helped (CONV-JOIN-34): accepted an invitation to assist, whether still in the chat or gone.
      w.orWhereExists(
        k('conversation_helpers as h')
          .select(k.raw('1'))
          .whereRaw('h.conversation_id = c.id and h.company_id = c.company_id')
          .where('h.agent_id', viewer.agentId)
          .whereIn('h.status', ['accepted', 'left']),
      );
      if (viewer.monitorsRunning)
        w.orWhere((x) =>
          x.whereNot('c.status', 'ended').whereNot('c.agent_id', viewer.agentId).whereIn('c.agent_id', t.q('agents').whereNot('role', 'admin').select('id')),
        );
    });
  if (range) {
    q.where('c.created_at', '>=', k.raw('(?::date)::timestamp at time zone ?', [range.from, range.timeZone]));
    q.where('c.created_at', '<', k.raw('(?::date + 1)::timestamp at time zone ?', [range.to, range.timeZone]));
  }
  if (f.agentId?.length) servedBy(q, k, f.agentId);
  if (f.groupId) q.where('c.group_id', f.groupId);
  if (f.visitorNumber) q.where('v.number', f.visitorNumber);
  if (f.visitorName) q.whereILike('v.name', likeArg(f.visitorName));
  if (f.email) q.whereRaw('lower(v.email) = lower(?)', [f.email]);
  if (f.mobile) q.whereRaw("regexp_replace(v.phone, '\\D', '', 'g') = ?", [f.mobile.replace(/\D/g, '')]);
  if (f.keyword !== undefined) {
    const senders = f.keywordIn === 'all' ? [] : senderKinds[f.keywordIn];
    const bySender = senders.length ? ` and m.sender_kind in (${senders.map(() => '?').join(', ')})` : '';
    // Each term may occur in a different message of the conversation (HISTORY-KEYWORD-2).
    for (const term of keywordTerms(f.keyword)) {
      const bindings = [t.companyId, termQuery(term), ...senders];
      if (mode === 'probe')
        q.whereRaw(
          `exists (select 1 from messages m where m.conversation_id = c.id and m.company_id = ? and m.search_tsv @@ ?::tsquery${bySender} offset 0)`,
          bindings,
        );
      else q.whereRaw(`c.id in (select m.conversation_id from messages m where m.company_id = ? and m.search_tsv @@ ?::tsquery${bySender})`, bindings);
    }
  }
  if (f.topic) q.where('c.topic', f.topic);
  if (f.noTopic === true) q.whereNull('c.topic');
  if (f.noTopic === false) q.whereNotNull('c.topic');
  if (f.evaluation === 'valid') q.where('c.eval_valid', true);
  if (f.evaluation === 'invalid') q.where('c.eval_valid', false);
  if (f.evaluation === 'unevaluated') q.whereNull('c.evaluated_at');
  if (f.evaluation === 'valuable') q.where('c.eval_valuable', true);
  if (f.rating === 'none') q.whereNull('c.rating');
  else if (f.rating) q.where('c.rating', Number(f.rating));
  if (f.note) q.whereILike('c.eval_note', likeArg(f.note));
  if (f.region) q.whereILike('v.region', likeArg(f.region));
  if (f.channel) q.where('c.channel', f.channel);
  if (f.initiator) q.where('c.initiator', f.initiator);
  if (f.endReason) q.where('c.end_reason', f.endReason);
  if (f.status === 'ended') q.where('c.status', 'ended');
  if (f.status === 'ongoing') q.whereNot('c.status', 'ended');
  if (f.conversationId) q.where('c.id', f.conversationId);
  if (f.hasFiles !== undefined) {
    const files = k('messages as fm').select(k.raw('1')).whereRaw('fm.conversation_id = c.id').whereIn('fm.kind', ['file', 'image']);
    if (f.hasFiles) q.whereExists(files);
    else q.whereNotExists(files);
  }
  if (f.minDuration !== undefined) q.whereRaw(`${DURATION} >= ?`, [f.minDuration]);
  if (f.maxDuration !== undefined) q.whereRaw(`${DURATION} <= ?`, [f.maxDuration]);
  if (f.minMessages !== undefined) q.where('c.last_seq', '>=', f.minMessages);
  if (f.maxMessages !== undefined) q.where('c.last_seq', '<=', f.maxMessages);
  return q;
}

/** The tsquery literal matching a message that contains any of the keyword's terms (for the preview snippet). */
export const anyTermQuery = (keyword: string) =>
  keywordTerms(keyword)
    .map((term) => `(${termQuery(term)})`)
    .join(' | ');
