import type { Knex } from 'knex';

/**
 * The advertisement image's table becomes the store of every uploaded chat-window
 * image (SPEC STYLE-UPLOAD-5): the advertisement and the window logo so far, told
 * apart by `kind` for their size limits; the widget settings name them by key.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.renameTable('ad_images', 'style_images');
  await knex.schema.alterTable('style_images', (t) => {
    t.text('kind').notNullable().defaultTo('ad');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('style_images', (t) => {
    t.dropColumn('kind');
  });
  await knex.schema.renameTable('style_images', 'ad_images');
}
