import type { Knex } from 'knex';

/**
 * Saved versions and the draft of each canned-reply scope (CHATSET-CANNEDHISTORY-9,
 * CHATSET-CANNEDDRAFT-10): a scope is the company list (agent_id null) or one
 * agent's personal list; `entries` is the whole list as the editor shows it.
 */
export async function up(knex: Knex): Promise<void> {
  const scoped = (t: Knex.CreateTableBuilder) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('agent_id').references('agents.id').onDelete('CASCADE');
    t.bigInteger('author_id').references('agents.id').onDelete('SET NULL');
    t.jsonb('entries').notNullable();
    t.integer('entry_count').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
  };
  await knex.schema.createTable('canned_versions', (t) => {
    scoped(t);
    t.index(['company_id', 'agent_id', 'id']);
  });
  await knex.schema.createTable('canned_drafts', scoped);
  // One draft per scope; coalesce because a plain unique index treats every null agent_id as distinct.
  await knex.raw('create unique index canned_drafts_scope_unique on canned_drafts (company_id, coalesce(agent_id, 0))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('canned_drafts');
  await knex.schema.dropTableIfExists('canned_versions');
}
