import type { Knex } from 'knex';

/**
 * ASSIGN-CONNECT-15 需要客服确认: an automatic assignment may be an offer the
 * agent must confirm before it expires; until then the request stays queued,
 * reserved for that agent, and counts against their cap.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('conversations', (t) => {
    t.bigInteger('offered_agent_id').references('agents.id').onDelete('SET NULL');
    t.timestamp('offer_expires_at', { useTz: true });
  });
  await knex.raw('create index conversations_offers on conversations (offered_agent_id) where offered_agent_id is not null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('conversations', (t) => {
    t.dropColumn('offer_expires_at');
    t.dropColumn('offered_agent_id');
  });
}
