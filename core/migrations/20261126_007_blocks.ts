import type { Knex } from 'knex';

/** Visitor blocking (SPEC DISPLAY-BLOCK*): by address/range and by visitor, fully or chat-only, with an end. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('blocks', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.text('kind').notNullable(); // visitor | chat
    t.text('cidr');
    t.bigInteger('visitor_id');
    t.text('note');
    t.timestamp('ends_at', { useTz: true });
    t.bigInteger('created_by');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.integer('hits').notNullable().defaultTo(0);
    t.index(['company_id', 'visitor_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('blocks');
}
