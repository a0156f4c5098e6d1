import type { Knex } from 'knex';

/**
 * The company's phone blacklist (DISPLAY-PHONEBLOCK-16): numbers in E.164 form, one row each, with a note,
 * who added it and when, an optional end and the refused call-back requests it has counted.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('phone_blocks', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.text('number').notNullable();
    t.text('note');
    t.bigInteger('created_by').references('agents.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('ends_at', { useTz: true });
    t.integer('hits').notNullable().defaultTo(0);
    t.timestamp('last_hit_at', { useTz: true });
    t.unique(['company_id', 'number']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('phone_blocks');
}
