import type { Knex } from 'knex';

/**
 * Second evaluation and saved searches (HISTORY-EVALUATE-8, EVAL-WHO-5, EVAL-SHOW-10, HISTORY-SAVED-15).
 * - `eval_version` is the optimistic version of a conversation's evaluation (409 evaluation_changed when stale);
 *   `eval_valuable` the ☆ 有价值 flag; `rating` the visitor's latest score (1–5), copied from the
 *   `rating` message so history can filter and show it without reading messages.
 * - `conversation_evaluations` keeps every change with who, when and the old and new values (修改记录).
 * - `saved_searches`: an agent's named searches (shared ones read-only for the others) and the last 10 run.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('conversations', (t) => {
    t.integer('eval_version').notNullable().defaultTo(0);
    t.boolean('eval_valuable').notNullable().defaultTo(false);
    t.smallint('rating');
  });
  await knex.raw('update conversations set eval_version = 1 where evaluated_at is not null');
  await knex.raw(
    `update conversations c set rating = r.score from (
       select distinct on (conversation_id) conversation_id, (payload->>'score')::smallint as score from messages
        where kind = 'rating' and sender_kind = 'visitor' and payload->>'score' is not null order by conversation_id, seq desc) r
      where r.conversation_id = c.id`,
  );
  await knex.schema.createTable('conversation_evaluations', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('conversation_id').notNullable().references('conversations.id').onDelete('CASCADE');
    t.bigInteger('agent_id');
    t.integer('version').notNullable();
    t.jsonb('old_values');
    t.jsonb('new_values').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['company_id', 'conversation_id', 'version']);
  });
  await knex.schema.createTable('saved_searches', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('agent_id').notNullable().references('agents.id').onDelete('CASCADE');
    // saved | recent
    t.text('kind').notNullable();
    t.text('name');
    t.jsonb('filters').notNullable();
    t.boolean('shared').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['company_id', 'agent_id', 'kind', 'created_at']);
    t.index(['company_id', 'shared']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('saved_searches');
  await knex.schema.dropTable('conversation_evaluations');
  await knex.schema.alterTable('conversations', (t) => {
    t.dropColumn('rating');
    t.dropColumn('eval_valuable');
    t.dropColumn('eval_version');
  });
}
