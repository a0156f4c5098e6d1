import type { Knex } from 'knex';

/** Expiry reminders already sent (BILLING-WARN-6): once per licence, expiry date and threshold. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('licence_reminders', (t) => {
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.text('product').notNullable();
    t.date('expires_on').notNullable();
    t.integer('threshold').notNullable(); // days before expiry: 30, 7, 1, 0
    t.timestamp('sent_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['company_id', 'product', 'expires_on', 'threshold']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('licence_reminders');
}
