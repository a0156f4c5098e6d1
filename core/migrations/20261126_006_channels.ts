import type { Knex } from 'knex';

/** Delivery state of agent messages sent out through a channel plugin (IM, SMS…). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('messages', (t) => {
    t.text('delivery_status'); // pending | sent | delivered | failed; null for the web widget
    t.text('delivery_error');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('messages', (t) => {
    t.dropColumn('delivery_status');
    t.dropColumn('delivery_error');
  });
}
