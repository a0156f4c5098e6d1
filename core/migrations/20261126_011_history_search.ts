import type { Knex } from 'knex';
import { messageSearchText, searchTokens } from '../src/history/search-tokens.ts';

/**
 * Conversation history (SPEC HISTORY §4.1): the keyword index on messages (HISTORY-KEYWORD-2,
 * HISTORY-PERF-3), indexes for the history list, and the editable window of HISTORY-LOCK-9.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('messages', (t) => {
    t.specificType('search_tsv', 'tsvector');
  });
  await backfill(knex);
  await knex.raw('create index messages_search_tsv on messages using gin (search_tsv)');
  await knex.schema.alterTable('conversations', (t) => {
    t.index(['company_id', 'created_at', 'id'], 'conversations_history_start');
    t.index(['company_id', 'agent_id', 'created_at'], 'conversations_history_agent');
  });
  await knex.schema.alterTable('transfers', (t) => {
    t.index(['company_id', 'from_agent_id'], 'transfers_from_agent');
    t.index(['company_id', 'answered_by'], 'transfers_answered_by');
  });
  await knex.schema.alterTable('companies', (t) => {
    t.integer('history_editable_days').notNullable().defaultTo(365);
  });
}

/** Messages stored before this migration, tokenised in Node like new ones (MessageStore.append). */
async function backfill(knex: Knex) {
  for (let after = 0; ;) {
    const rows = await knex('messages').where('id', '>', after).orderBy('id').limit(1000).select('id', 'sender_kind', 'kind', 'text', 'payload');
    if (!rows.length) return;
    const values = rows.map((r) => [
      Number(r.id),
      searchTokens(
        messageSearchText({
          senderKind: r.sender_kind,
          kind: r.kind,
          text: r.text,
          payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload,
        }),
      ),
    ]);
    await knex.raw(
      `update messages m set search_tsv = v.tsv::tsvector from (values ${values.map(() => '(?::bigint, ?)').join(', ')}) as v(id, tsv) where m.id = v.id`,
      values.flat(),
    );
    after = Number(rows[rows.length - 1].id);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('companies', (t) => {
    t.dropColumn('history_editable_days');
  });
  await knex.schema.alterTable('transfers', (t) => {
    t.dropIndex([], 'transfers_from_agent');
    t.dropIndex([], 'transfers_answered_by');
  });
  await knex.schema.alterTable('conversations', (t) => {
    t.dropIndex([], 'conversations_history_start');
    t.dropIndex([], 'conversations_history_agent');
  });
  await knex.raw('drop index if exists messages_search_tsv');
  await knex.schema.alterTable('messages', (t) => {
    t.dropColumn('search_tsv');
  });
}
