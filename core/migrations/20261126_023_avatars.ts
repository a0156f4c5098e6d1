import type { Knex } from 'knex';

/**
 * Window avatars (SPEC AVATAR §7.1.6, PROFILE-AVATAR-4): processed 96×96
 * images live in the database (a few KB each), so every node serves them
 * without shared disk; the random key is the public, unguessable name and a
 * new upload gets a new key, so the image behind a URL never changes.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('avatar_images', (t) => {
    t.text('key').primary();
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.binary('data').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['company_id']);
  });
  await knex.schema.alterTable('agents', (t) => {
    t.text('avatar_key');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('agents', (t) => t.dropColumn('avatar_key'));
  await knex.schema.dropTable('avatar_images');
}
