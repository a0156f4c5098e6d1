import type { Knex } from 'knex';

/** ROBOT-UNMATCHED-21 忽略: an ignored question stays hidden until it is asked again after the ignore. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('robot_unmatched', (t) => {
    t.timestamp('ignored_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('robot_unmatched', (t) => {
    t.dropColumn('ignored_at');
  });
}
