import type { Knex } from 'knex';

/**
 * GROUP-OVERFLOW-7: what a group does with requests it cannot serve (留言, another
 * group, the whole company) and after how long. An overflowed conversation keeps
 * `group_id` (its original group, for history and reports) and records where it
 * was sent instead: `overflow_group_id`, null meaning the whole company.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('groups', (t) => {
    t.text('overflow_target').notNullable().defaultTo('leave_message');
    t.bigInteger('overflow_group_id').references('groups.id').onDelete('SET NULL');
    t.integer('overflow_wait_seconds').notNullable().defaultTo(60);
  });
  await knex.raw("alter table groups add constraint groups_overflow_target check (overflow_target in ('leave_message', 'group', 'company'))");
  await knex.schema.alterTable('conversations', (t) => {
    t.timestamp('overflowed_at', { useTz: true });
    t.bigInteger('overflow_group_id').references('groups.id').onDelete('SET NULL');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('conversations', (t) => {
    t.dropColumn('overflow_group_id');
    t.dropColumn('overflowed_at');
  });
  await knex.schema.alterTable('groups', (t) => {
    t.dropColumn('overflow_wait_seconds');
    t.dropColumn('overflow_group_id');
    t.dropColumn('overflow_target');
  });
}
