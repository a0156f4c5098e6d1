import type { Knex } from 'knex';

/**
 * Internal chat (SPEC INTERNAL-TIMES-4, INTERNAL-PRESENCE-2, INTERNAL-FILES-5):
 * when the recipient's first console received a message; whether its receipts
 * are kept from the sender (read or received by an invisible admin); and which
 * internal message a file was sent in, so only that thread's members open it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('internal_messages', (t) => {
    t.timestamp('delivered_at', { useTz: true });
    t.boolean('receipts_hidden').notNullable().defaultTo(false);
  });
  await knex.raw('create index internal_messages_undelivered on internal_messages (company_id, to_agent_id) where delivered_at is null');
  await knex.schema.alterTable('files', (t) => {
    t.bigInteger('internal_message_id').references('internal_messages.id').onDelete('CASCADE');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('files', (t) => t.dropColumn('internal_message_id'));
  await knex.raw('drop index if exists internal_messages_undelivered');
  await knex.schema.alterTable('internal_messages', (t) => {
    t.dropColumn('receipts_hidden');
    t.dropColumn('delivered_at');
  });
}
