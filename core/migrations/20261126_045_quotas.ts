import type { Knex } from 'knex';

/**
 * Quota products (SPEC BILLING-QUOTA-5: SMS segments, call-back minutes): the
 * units a company has left, changed only by a statement that cannot take it
 * below zero, and every top-up, debit and refund in a ledger for "used this
 * month" and the list of top-ups.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('company_quotas', (t) => {
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.text('product').notNullable();
    t.bigInteger('units_left').notNullable().defaultTo(0);
    t.primary(['company_id', 'product']);
  });
  await knex.raw('alter table company_quotas add constraint company_quotas_not_negative check (units_left >= 0)');
  await knex.schema.createTable('quota_ledger', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.text('product').notNullable();
    /** Positive for top-ups and refunds, negative for debits. */
    t.bigInteger('units').notNullable();
    t.text('kind').notNullable();
    /** `operator`, or `plugin:<id>`. */
    t.text('actor').notNullable();
    t.text('ref');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['company_id', 'product', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('quota_ledger');
  await knex.schema.dropTable('company_quotas');
}
