import type { Knex } from 'knex';

/** CONV-READ-41: the highest agent message seq the visitor has seen (window open, page visible). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('conversations', (t) => {
    t.bigInteger('visitor_seen_seq').notNullable().defaultTo(0);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('conversations', (t) => t.dropColumn('visitor_seen_seq'));
}
