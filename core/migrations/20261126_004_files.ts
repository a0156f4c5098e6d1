import type { Knex } from 'knex';

/** Uploaded files and images (CONV-FILE-14/15/16, CONV-IMAGE-17). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('files', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    // The public name of the file: 192 random bits, base64url; never derived from the id.
    t.text('key').notNullable().unique();
    t.bigInteger('conversation_id').references('conversations.id').onDelete('SET NULL');
    t.bigInteger('message_id');
    t.text('uploader_kind').notNullable(); // visitor | agent
    t.bigInteger('uploader_id').notNullable();
    t.text('name').notNullable();
    t.text('mime').notNullable();
    t.bigInteger('size').notNullable();
    // Relative to KEFU_DATA_DIR, so the data folder can move.
    t.text('storage_path').notNullable();
    t.text('thumb_path');
    t.integer('width');
    t.integer('height');
    t.text('status').notNullable(); // held | available | refused
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('decided_at', { useTz: true });
    t.bigInteger('decided_by');
    t.index(['company_id', 'conversation_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('files');
}
