import type { Knex } from 'knex';

/**
 * WORKBENCH-VISITOREDIT-9: agents fill in a visitor's landline and a note beside the name, mobile and e-mail the
 * visitor row already holds, and every change is kept with its old and new value, who made it and when. The
 * newest change of a field whose value still stands is what labels it 客服填写 with author and time.
 * LEAVEMSG-CHAT-10: an invitation or proactive chat started from a leave-message's detail is linked to it, so the
 * detail shows the outcome and the conversation it led to.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('visitors', (t) => {
    t.text('landline');
    t.text('note');
  });
  await knex.schema.createTable('visitor_changes', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('visitor_id').notNullable().references('visitors.id').onDelete('CASCADE');
    t.text('field').notNullable();
    t.text('old_value');
    t.text('new_value');
    t.bigInteger('agent_id').references('agents.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['company_id', 'visitor_id', 'id']);
  });
  await knex.schema.createTable('leave_message_outreach', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('leave_message_id').notNullable().references('leave_messages.id').onDelete('CASCADE');
    t.bigInteger('invitation_id').notNullable().references('invitations.id').onDelete('CASCADE');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['company_id', 'leave_message_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('leave_message_outreach');
  await knex.schema.dropTable('visitor_changes');
  await knex.schema.alterTable('visitors', (t) => {
    t.dropColumn('landline');
    t.dropColumn('note');
  });
}
