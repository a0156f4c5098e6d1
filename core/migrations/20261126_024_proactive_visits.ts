import type { Knex } from 'knex';

/**
 * Automatic proactive chat per visit (POLICY-PROACTIVE-2): when the greeting is
 * next due, how often it was shown, and whether the visitor closed it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('proactive_visits', (t) => {
    t.bigInteger('visit_id').primary().references('visits.id').onDelete('CASCADE');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('visitor_id').notNullable().references('visitors.id').onDelete('CASCADE');
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.timestamp('due_at', { useTz: true });
    t.integer('shown').notNullable().defaultTo(0);
    t.timestamp('closed_at', { useTz: true });
    t.index(['due_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('proactive_visits');
}
