import type { Knex } from 'knex';

/** LOGINLOG-RETENTION-9: how long a company keeps its login log. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('companies', (t) => {
    t.integer('loginlog_retention_days').notNullable().defaultTo(365);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('companies', (t) => {
    t.dropColumn('loginlog_retention_days');
  });
}
