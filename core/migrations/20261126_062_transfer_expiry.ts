import type { Knex } from 'knex';

/**
 * Transfer response time (SPEC CONV-TRANSFER-30, MAIN-SETTINGS-10): each transfer keeps the moment it times out,
 * fixed by the company setting when it was sent, so a later change of the setting does not move open offers.
 * Rows from before have none and keep the former fixed 60 seconds.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('transfers', (t) => {
    t.timestamp('expires_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('transfers', (t) => {
    t.dropColumn('expires_at');
  });
}
