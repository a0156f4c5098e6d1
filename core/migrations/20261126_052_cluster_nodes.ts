import type { Knex } from 'knex';

/**
 * The running nodes (SPEC MENU-ABOUT-5): each node beats its row every 10 s, so the About dialog counts the nodes
 * seen in the last 30 s and warns when they run different versions (a rolling restart).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('cluster_nodes', (t) => {
    t.uuid('id').primary();
    t.text('version').notNullable();
    t.text('commit');
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.timestamp('seen_at', { useTz: true }).notNullable();
    t.index(['seen_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('cluster_nodes');
}
