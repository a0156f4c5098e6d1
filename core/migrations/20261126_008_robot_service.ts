import type { Knex } from 'knex';

/**
 * ROBOT-MODE-12: a queued conversation a plugin (the robot) is serving stays out of the
 * agents' waiting list and automatic assignment until the plugin hands it over.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('conversations', (t) => {
    t.text('served_by_plugin');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('conversations', (t) => {
    t.dropColumn('served_by_plugin');
  });
}
