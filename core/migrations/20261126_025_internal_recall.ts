import type { Knex } from 'knex';

/** INTERNAL-RECALL-10 撤回: a recalled internal message keeps its place in the thread, without its text or file. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('internal_messages', (t) => {
    t.timestamp('recalled_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('internal_messages', (t) => t.dropColumn('recalled_at'));
}
