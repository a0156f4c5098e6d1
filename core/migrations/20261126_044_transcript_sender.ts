import type { Knex } from 'knex';

/**
 * CONV-EMAIL-39 发送记录: agents e-mail transcripts too. `agent_id` says who sent (null: the visitor asked,
 * CONV-TRANSCRIPT-40), so each send is recorded on the conversation and the per-agent daily cap can be counted.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('transcript_requests', (t) => {
    t.bigInteger('agent_id').references('agents.id').onDelete('SET NULL');
    t.index(['company_id', 'agent_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('transcript_requests', (t) => {
    t.dropIndex(['company_id', 'agent_id', 'created_at']);
    t.dropColumn('agent_id');
  });
}
