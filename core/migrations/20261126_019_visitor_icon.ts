import type { Knex } from 'knex';

/**
 * VISITOR-SCOPE-4 本组访客: the icon on the page a visitor last viewed decides
 * which agents see the visitor while the company limits the visitor list to
 * each agent's groups.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('visitors', (t) => {
    t.bigInteger('icon_id').references('icons.id').onDelete('SET NULL');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('visitors', (t) => t.dropColumn('icon_id'));
}
