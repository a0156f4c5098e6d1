import type { Knex } from 'knex';

/** Leave-messages (SPEC LEAVEMSG §4.2, LEAVESET §7.2), the company mail server and the outgoing mail queue. */
export async function up(knex: Knex): Promise<void> {
  const ts = (t: Knex.CreateTableBuilder, name: string) => t.timestamp(name, { useTz: true });
  await knex.schema.createTable('leave_messages', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('visitor_id').references('visitors.id').onDelete('SET NULL');
    t.text('channel').notNullable().defaultTo('web');
    t.text('name');
    t.text('email');
    t.text('phone');
    t.text('content').notNullable();
    t.jsonb('fields').notNullable().defaultTo('{}');
    t.text('status').notNullable().defaultTo('unreplied'); // unreplied | replied
    t.text('type');
    t.text('note');
    t.bigInteger('handler_id').references('agents.id').onDelete('SET NULL');
    t.bigInteger('group_id').references('groups.id').onDelete('SET NULL');
    t.text('language');
    t.text('ip');
    t.text('page_url');
    t.text('client_id');
    t.integer('version').notNullable().defaultTo(1);
    ts(t, 'created_at').notNullable().defaultTo(knex.fn.now());
    ts(t, 'replied_at');
    t.bigInteger('replied_by');
    t.index(['company_id', 'created_at']);
    t.index(['company_id', 'status', 'created_at']);
    t.unique(['company_id', 'visitor_id', 'client_id']);
  });

  await knex.schema.createTable('mail_settings', (t) => {
    t.bigInteger('company_id').primary().references('companies.id').onDelete('CASCADE');
    // {host, port, security, user, passwordSealed, fromAddress, fromName}; the password is sealed with SecretBox.
    t.jsonb('smtp');
    t.boolean('forward_enabled').notNullable().defaultTo(false);
    t.jsonb('recipients').notNullable().defaultTo('[]');
    t.integer('version').notNullable().defaultTo(1);
    ts(t, 'updated_at').notNullable().defaultTo(knex.fn.now());
    t.bigInteger('updated_by');
  });

  await knex.schema.createTable('mail_outbox', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('leave_message_id').references('leave_messages.id').onDelete('SET NULL');
    t.text('to').notNullable();
    t.text('reply_to');
    t.text('subject').notNullable();
    t.text('body').notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    ts(t, 'next_attempt_at'); // null once sent or given up
    ts(t, 'sent_at');
    t.text('last_error');
    ts(t, 'created_at').notNullable().defaultTo(knex.fn.now());
    t.index(['next_attempt_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('mail_outbox');
  await knex.schema.dropTableIfExists('mail_settings');
  await knex.schema.dropTableIfExists('leave_messages');
}
