import type { Knex } from 'knex';

/**
 * The chat window's advertisement image (SPEC WINDOW-AD-3): kept as uploaded
 * (an animated GIF stays animated) in the database like the avatars, so every
 * node serves it; the random key is the public name and a new upload gets a
 * new key, so the image behind a URL never changes.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('ad_images', (t) => {
    t.text('key').primary();
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.text('mime').notNullable();
    t.binary('data').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['company_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('ad_images');
}
