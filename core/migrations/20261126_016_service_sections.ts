import type { Knex } from 'knex';

/**
 * Versioned settings documents of the custom tags (TAG §7.1.7) and the service
 * region (REGION §7.4) screens: one row per company and section.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('service_sections', (t) => {
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.text('section').notNullable(); // tags | region
    t.jsonb('settings').notNullable();
    t.integer('version').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.bigInteger('updated_by').references('agents.id').onDelete('SET NULL');
    t.primary(['company_id', 'section']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('service_sections');
}
