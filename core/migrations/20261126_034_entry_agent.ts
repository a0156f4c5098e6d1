import type { Knex } from 'knex';

/**
 * ICON-GROUP-6, ASSIGN-SCOPE-3: a chat started from a group icon's agent entry
 * is offered to that agent only (icon-routing.ts), as an icon bound to the agent is.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('conversations', (t) => {
    t.bigInteger('scope_agent_id').references('agents.id').onDelete('SET NULL');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('conversations', (t) => t.dropColumn('scope_agent_id'));
}
