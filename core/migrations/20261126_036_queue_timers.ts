import type { Knex } from 'knex';

/**
 * Queue limits and leaving (ASSIGN-OVERFLOW-10, ASSIGN-LEAVE-11): a waiting
 * request's next deadline (maximum wait reached, or its prompt unanswered) and
 * the end of the 30 s a visitor whose last window closed keeps their place.
 * Deadlines live in the row, so any node's timer job fires them once.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('conversations', (t) => {
    t.timestamp('queue_due_at', { useTz: true });
    // 0 waiting, 1 asked 继续等待 / 留言, 2 chose to keep waiting.
    t.smallint('queue_stage').notNullable().defaultTo(0);
    t.timestamp('queue_away_until', { useTz: true });
  });
  await knex.raw('create index conversations_queue_due on conversations (queue_due_at) where queue_due_at is not null');
  await knex.raw('create index conversations_queue_away on conversations (queue_away_until) where queue_away_until is not null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('conversations', (t) => {
    t.dropColumn('queue_away_until');
    t.dropColumn('queue_stage');
    t.dropColumn('queue_due_at');
  });
}
