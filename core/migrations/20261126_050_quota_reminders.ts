import type { Knex } from 'knex';

/**
 * Quota reminders already sent (BILLING-WARN-6): once per quota product and
 * threshold (under 10 %, empty) after each top-up, the top-up's ledger row
 * naming the cycle, so a new top-up starts the reminders again.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('quota_reminders', (t) => {
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.text('product').notNullable();
    t.bigInteger('topup_id').notNullable();
    t.integer('threshold').notNullable(); // per cent of the units after that top-up: 10, 0
    t.timestamp('sent_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['company_id', 'product', 'topup_id', 'threshold']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('quota_reminders');
}
