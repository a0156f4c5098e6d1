import type { Knex } from 'knex';

/**
 * MENU-EXITCHATS-7: a conversation whose agent left goes back to the queue; it
 * remembers who left it (they get it back if they return in time) and when it
 * ends with `agent_left` if nobody took it. `agent_presence.gone_at` is when
 * the agent's last console closed, so the sweep can tell a reload (back within
 * the presence bound) from a loss of presence on any node.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('conversations', (t) => {
    t.bigInteger('left_agent_id').references('agents.id').onDelete('SET NULL');
    t.timestamp('left_due_at', { useTz: true });
  });
  await knex.raw('create index conversations_left_due on conversations (left_due_at) where left_due_at is not null');
  await knex.schema.alterTable('agent_presence', (t) => {
    t.timestamp('gone_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('agent_presence', (t) => {
    t.dropColumn('gone_at');
  });
  await knex.schema.alterTable('conversations', (t) => {
    t.dropColumn('left_due_at');
    t.dropColumn('left_agent_id');
  });
}
