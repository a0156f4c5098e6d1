import type { Knex } from 'knex';

/** Chat window, pre-chat and leave-message settings of a company (SPEC WINDOW, PRECHAT, LEAVESET): one versioned document. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('widget_settings', (t) => {
    t.bigInteger('company_id').primary().references('companies.id').onDelete('CASCADE');
    t.jsonb('settings').notNullable().defaultTo('{}');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.bigInteger('updated_by');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('widget_settings');
}
