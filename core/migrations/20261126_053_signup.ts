import type { Knex } from 'knex';

/**
 * Account registration (SPEC LOGIN-REGISTER-13): the operator's single-use invitation links (`KEFU_SIGNUP=invite`)
 * and the image challenges of the registration form, which belong to no company yet.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('signup_invites', (t) => {
    t.bigIncrements('id');
    t.text('token_hash').notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    t.bigInteger('company_id').references('companies.id').onDelete('SET NULL');
  });
  await knex.schema.createTable('signup_challenges', (t) => {
    t.uuid('id').primary();
    t.text('answer_hash').notNullable();
    t.integer('wrong').notNullable().defaultTo(0);
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('signup_challenges');
  await knex.schema.dropTable('signup_invites');
}
