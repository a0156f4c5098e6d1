import type { Knex } from 'knex';

/**
 * CONV-STATES-3, CONV-TRANSFER-33: which agent served a conversation from when
 * to when. A transfer or take-over closes one segment and opens the next, so
 * history and reports attribute each stretch of a chat to its agent.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('conversation_segments', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('conversation_id').notNullable().references('conversations.id').onDelete('CASCADE');
    t.bigInteger('agent_id').references('agents.id').onDelete('SET NULL');
    t.text('started_by').notNullable(); // manual | auto | sticky | transfer | takeover | dispatch
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.timestamp('ended_at', { useTz: true });
    t.text('end_reason'); // transfer | takeover | the conversation's end reason
    t.index(['company_id', 'conversation_id', 'started_at']);
    t.index(['company_id', 'agent_id', 'started_at']);
  });
  // At most one open segment per conversation: the next one starts only after the previous closed.
  await knex.raw('create unique index conversation_segments_open on conversation_segments (conversation_id) where ended_at is null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('conversation_segments');
}
