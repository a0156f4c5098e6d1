import type { Knex } from 'knex';

/**
 * CONV-TRANSCRIPT-40 邮件发送记录: a visitor's requests to receive the transcript by e-mail.
 * Rows wait until the conversation ends (or are queued at once when it already has);
 * `outbox_id` is the queued mail, set exactly once. The rows also count the requests
 * per conversation (at most 3) and per visitor.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('transcript_requests', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('conversation_id').notNullable().references('conversations.id').onDelete('CASCADE');
    t.bigInteger('visitor_id').notNullable();
    t.text('email').notNullable();
    t.text('language').notNullable();
    t.bigInteger('outbox_id').references('mail_outbox.id').onDelete('SET NULL');
    t.timestamp('queued_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['company_id', 'conversation_id']);
    t.index(['company_id', 'visitor_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('transcript_requests');
}
