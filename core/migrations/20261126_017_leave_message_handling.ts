import type { Knex } from 'knex';

/**
 * Handling leave-messages (SPEC LEAVEMSG §4.2): e-mail replies with their delivery state
 * (LEAVEMSG-EMAIL-8), the change log of the detail (LEAVEMSG-DETAIL-4) and the
 * "is replying" mark (LEAVEMSG-LOCK-11).
 */
export async function up(knex: Knex): Promise<void> {
  const ts = (t: Knex.CreateTableBuilder, name: string) => t.timestamp(name, { useTz: true });
  await knex.schema.createTable('leave_message_replies', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('leave_message_id').notNullable().references('leave_messages.id').onDelete('CASCADE');
    t.bigInteger('agent_id').references('agents.id').onDelete('SET NULL');
    t.text('channel').notNullable(); // email | sms
    t.text('to').notNullable();
    t.text('subject');
    t.text('body').notNullable();
    // The queued mail whose state is the reply's delivery state; null once the outbox row is gone.
    t.bigInteger('outbox_id').references('mail_outbox.id').onDelete('SET NULL');
    // Whether this reply switched the status to replied, so only then a final failure switches it back.
    t.boolean('set_replied').notNullable().defaultTo(false);
    ts(t, 'created_at').notNullable().defaultTo(knex.fn.now());
    t.index(['company_id', 'leave_message_id']);
    t.index(['outbox_id']);
  });
  await knex.schema.createTable('leave_message_changes', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('leave_message_id').notNullable().references('leave_messages.id').onDelete('CASCADE');
    t.bigInteger('agent_id').references('agents.id').onDelete('SET NULL');
    t.text('field').notNullable(); // status | type | note | handler
    t.text('old_value');
    t.text('new_value');
    ts(t, 'created_at').notNullable().defaultTo(knex.fn.now());
    t.index(['company_id', 'leave_message_id']);
  });
  await knex.schema.alterTable('leave_messages', (t) => {
    t.bigInteger('replying_by');
    ts(t, 'replying_until');
    t.index(['company_id', 'handler_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('leave_messages', (t) => {
    t.dropIndex(['company_id', 'handler_id', 'created_at']);
    t.dropColumn('replying_by');
    t.dropColumn('replying_until');
  });
  await knex.schema.dropTableIfExists('leave_message_changes');
  await knex.schema.dropTableIfExists('leave_message_replies');
}
