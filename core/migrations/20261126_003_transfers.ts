import type { Knex } from 'knex';

/** Agent actions of SPEC §2.1: transfers (CONV-TRANSFER-28..33), monitoring (CONV-MONITOR-35/36), invitations (VISITOR-INVITE-9, VISITOR-PROACTIVE-10). */
export async function up(knex: Knex): Promise<void> {
  const ts = (t: Knex.CreateTableBuilder, name: string) => t.timestamp(name, { useTz: true });

  await knex.schema.createTable('transfers', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('conversation_id').notNullable().references('conversations.id').onDelete('CASCADE');
    t.bigInteger('from_agent_id').notNullable().references('agents.id').onDelete('CASCADE');
    t.bigInteger('to_agent_id').references('agents.id').onDelete('SET NULL');
    t.bigInteger('to_group_id').references('groups.id').onDelete('SET NULL');
    // Who was asked (one agent, or a group's eligible members when it was sent) and who said no so far.
    t.specificType('offered_to', 'bigint[]').notNullable().defaultTo('{}');
    t.specificType('declined_by', 'bigint[]').notNullable().defaultTo('{}');
    t.bigInteger('answered_by');
    t.text('note');
    t.text('status').notNullable().defaultTo('pending'); // pending | accepted | rejected | expired | cancelled
    t.text('reason');
    ts(t, 'created_at').notNullable().defaultTo(knex.fn.now());
    ts(t, 'responded_at');
    t.index(['company_id', 'conversation_id']);
    t.index(['status', 'created_at']);
  });
  // At most one pending transfer per conversation (409 transfer_pending), enforced by the database.
  await knex.raw("create unique index transfers_one_pending on transfers (conversation_id) where status = 'pending'");

  await knex.schema.createTable('monitors', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('monitor_agent_id').notNullable().references('agents.id').onDelete('CASCADE');
    t.bigInteger('watched_agent_id').notNullable().references('agents.id').onDelete('CASCADE');
    ts(t, 'started_at').notNullable().defaultTo(knex.fn.now());
    ts(t, 'ended_at');
    t.index(['company_id', 'watched_agent_id']);
  });
  await knex.raw('create unique index monitors_one_active on monitors (monitor_agent_id, watched_agent_id) where ended_at is null');

  await knex.schema.createTable('invitations', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('visitor_id').notNullable().references('visitors.id').onDelete('CASCADE');
    t.bigInteger('agent_id').references('agents.id').onDelete('SET NULL');
    t.text('kind').notNullable(); // invite | proactive
    t.text('status').notNullable().defaultTo('pending'); // pending | accepted | declined | expired
    t.text('text');
    ts(t, 'created_at').notNullable().defaultTo(knex.fn.now());
    ts(t, 'responded_at');
    t.bigInteger('conversation_id').references('conversations.id').onDelete('SET NULL');
    t.index(['company_id', 'visitor_id', 'created_at']);
    t.index(['company_id', 'agent_id', 'created_at']);
    t.index(['status', 'created_at']);
    t.index(['conversation_id']);
  });
  // One pending invitation per visitor, from anyone (409 invitation_pending).
  await knex.raw("create unique index invitations_one_pending on invitations (visitor_id) where status = 'pending' and kind = 'invite'");
}

export async function down(knex: Knex): Promise<void> {
  for (const t of ['invitations', 'monitors', 'transfers']) await knex.schema.dropTableIfExists(t);
}
