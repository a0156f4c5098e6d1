import type { Knex } from 'knex';
import { runPrepared } from '../infra/db.ts';

/** One message to store, already resolved to plain column values. */
export interface AppendRow {
  companyId: number;
  conversationId: number;
  clientId: string;
  guardVisitorId: number | null;
  guardAgentId: number | null;
  allowEnded: boolean;
  firstReplyAt: string | null;
  senderKind: string;
  senderId: string | null;
  senderName: string | null;
  kind: string;
  text: string | null;
  payload: string | null;
  searchTsv: string;
}

/** The stored message row plus the conversation facts read back by the same statement; null when nothing was written. */
export type AppendOutcome = Record<string, any> | null;

/*
 * Every input row becomes one array element, so the statement text never changes
 * with the batch size (PostgreSQL plans it the same way each time). The UPDATE
 * bumps each conversation's seq only if the sender may write there, it is not
 * ended and the clientId is new; the INSERT takes the bumped seq. A batch never
 * holds one conversation twice (an UPDATE … FROM touches a row once).
 */
const SQL = `
with i as (
  select * from unnest(?::bigint[], ?::bigint[], ?::text[], ?::bigint[], ?::bigint[], ?::boolean[], ?::timestamptz[],
                       ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
    as i(company_id, conversation_id, client_id, guard_visitor, guard_agent, allow_ended, first_reply_at,
         sender_kind, sender_id, sender_name, kind, text, payload, search_tsv)
),
c as (
  update conversations cv
     set last_seq = cv.last_seq + 1,
         first_reply_at = case when i.first_reply_at is null then cv.first_reply_at else coalesce(cv.first_reply_at, i.first_reply_at) end
    from i
   where cv.id = i.conversation_id and cv.company_id = i.company_id
     and (i.allow_ended or cv.status <> 'ended')
     and (i.guard_visitor is null or cv.visitor_id = i.guard_visitor)
     and (i.guard_agent is null or cv.agent_id = i.guard_agent)
     and not exists (select 1 from messages m where m.conversation_id = i.conversation_id and m.client_id = i.client_id)
  returning cv.id, cv.last_seq, cv.visitor_id, cv.channel, cv.initiator, cv.agent_id
),
m as (
  insert into messages (company_id, conversation_id, client_id, sender_kind, sender_id, sender_name, kind, text, payload, search_tsv, seq)
  select i.company_id, i.conversation_id, i.client_id, i.sender_kind, i.sender_id, i.sender_name, i.kind, i.text,
         i.payload::jsonb, i.search_tsv::tsvector, c.last_seq
    from i join c on c.id = i.conversation_id
  on conflict (conversation_id, client_id) do nothing
  returning id, conversation_id, seq, client_id, sender_kind, sender_id, sender_name, kind, text, payload, delivery_status, created_at
)
select m.*, c.visitor_id as conv_visitor_id, c.channel as conv_channel, c.initiator as conv_initiator, c.agent_id as conv_agent_id
  from m join c on c.id = m.conversation_id`;

/** The same text with PostgreSQL's numbered parameters, for the prepared statement. */
let n = 0;
const PG_SQL = SQL.replace(/\?/g, () => `$${++n}`);

/**
 * On PostgreSQL outside a transaction the statement is prepared once per
 * connection (a named query): parsing and planning this CTE costs more than
 * running it. Inside a caller's transaction, and on the embedded database, it
 * goes through knex as written.
 */
async function run(k: Knex | Knex.Transaction, values: unknown[]): Promise<Record<string, any>[]> {
  if (k.client.config?.client !== 'pg' || (k as Knex.Transaction).isTransaction) return (await k.raw(SQL, values as Knex.ValueDict[])).rows;
  return runPrepared(k, 'kefu_append_messages', PG_SQL, values);
}

/** Stores the rows in one statement (one round trip, one commit); the outcomes are in input order. */
export async function appendRows(k: Knex | Knex.Transaction, rows: AppendRow[]): Promise<AppendOutcome[]> {
  const col = <K extends keyof AppendRow>(key: K) => rows.map((r) => r[key]);
  // Each binding is a whole array: pg (and PGlite) send it as one array parameter.
  const arrays = [
    col('companyId'),
    col('conversationId'),
    col('clientId'),
    col('guardVisitorId'),
    col('guardAgentId'),
    col('allowEnded'),
    col('firstReplyAt'),
    col('senderKind'),
    col('senderId'),
    col('senderName'),
    col('kind'),
    col('text'),
    col('payload'),
    col('searchTsv'),
  ];
  const written = await run(k, arrays);
  const byConversation = new Map<number, Record<string, any>>(written.map((w: Record<string, any>) => [Number(w.conversation_id), w]));
  return rows.map((r) => byConversation.get(r.conversationId) ?? null);
}

interface Pending {
  row: AppendRow;
  resolve: (o: AppendOutcome) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit for messages. A send goes out at once when the database is
 * free; sends that arrive while `maxInFlight` statements are running wait and
 * then go together in one statement — under load one WAL flush and one round
 * trip serve many messages, so the server's CPU and PostgreSQL's are spent on
 * messages rather than on statements. A conversation already in flight is held
 * back, which keeps each conversation's messages in arrival order.
 */
export class AppendBatcher {
  private readonly queue: Pending[] = [];
  private readonly busy = new Set<number>();
  private inFlight = 0;

  constructor(
    private readonly knex: () => Knex,
    private readonly maxInFlight = 2,
    private readonly maxBatch = 100,
  ) {}

  submit(row: AppendRow): Promise<AppendOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight) {
      const batch = this.take();
      if (!batch.length) return;
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        for (const p of batch) this.busy.delete(p.row.conversationId);
        // After pending I/O: sends that arrived while this statement ran join the next one.
        setImmediate(() => this.pump());
      });
    }
  }

  /** The oldest waiting sends, at most one per conversation and none of a conversation in flight. */
  private take(): Pending[] {
    const batch: Pending[] = [];
    const taken = new Set<number>();
    for (let i = 0; i < this.queue.length && batch.length < this.maxBatch;) {
      const id = this.queue[i].row.conversationId;
      if (this.busy.has(id) || taken.has(id)) {
        i++;
        continue;
      }
      taken.add(id);
      batch.push(...this.queue.splice(i, 1));
    }
    for (const id of taken) this.busy.add(id);
    return batch;
  }

  private async run(batch: Pending[]): Promise<void> {
    try {
      const outcomes = await appendRows(
        this.knex(),
        batch.map((p) => p.row),
      );
      batch.forEach((p, i) => p.resolve(outcomes[i]));
    } catch (err) {
      if (batch.length === 1) return batch[0].reject(err);
      // One bad row must not fail its neighbours: store each on its own.
      await Promise.all(batch.map((p) => appendRows(this.knex(), [p.row]).then(([o]) => p.resolve(o), p.reject)));
    }
  }
}
