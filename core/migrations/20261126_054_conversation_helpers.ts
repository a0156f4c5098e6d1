import type { Knex } from 'knex';

/**
 * 邀请协助 (SPEC CONV-JOIN-34): a help request to one colleague and, once accepted, that colleague's membership
 * of the conversation, in one row. `accepted` rows are the current helpers (they count toward the helper's
 * load, ASSIGN-ELIGIBLE-2); every other status is history.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('conversation_helpers', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('conversation_id').notNullable().references('conversations.id').onDelete('CASCADE');
    t.bigInteger('agent_id').notNullable().references('agents.id').onDelete('CASCADE');
    t.bigInteger('invited_by').notNullable().references('agents.id').onDelete('CASCADE');
    t.text('note');
    t.text('status').notNullable().defaultTo('pending'); // pending | accepted | rejected | expired | cancelled | left
    t.text('reason');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // Fixed when asked, by the transfer response time then in force (CONV-TRANSFER-30).
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('responded_at', { useTz: true });
    t.timestamp('left_at', { useTz: true });
    t.index(['company_id', 'conversation_id']);
    t.index(['agent_id', 'status']);
    t.index(['status', 'expires_at']);
  });
  // One open request or membership per colleague and conversation (409 help_pending / already_helping).
  await knex.raw(
    "create unique index conversation_helpers_one_open on conversation_helpers (conversation_id, agent_id) where status in ('pending', 'accepted')",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('conversation_helpers');
}
