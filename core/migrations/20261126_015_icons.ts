import type { Knex } from 'knex';

/**
 * Chat icons (SPEC ICON §7.1.1): each has a random public key that is never
 * reused (rows are soft-deleted), an optional binding to one agent or one group,
 * and its type's options as JSON. Conversations remember the icon they came from
 * so routing can keep an agent-bound icon's chats with that agent (ICON-BIND-5).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('icons', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.text('key').notNullable().unique();
    t.text('name').notNullable();
    t.text('type').notNullable(); // float | fixed | text | group | email
    t.text('language').notNullable().defaultTo('auto');
    t.bigInteger('agent_id').references('agents.id').onDelete('SET NULL');
    t.bigInteger('group_id').references('groups.id').onDelete('SET NULL');
    // Set when a bound agent or group went away, so the list can say so (ICON-BIND-5).
    t.timestamp('binding_removed_at', { useTz: true });
    t.jsonb('options').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('deleted_at', { useTz: true });
    t.index(['company_id', 'created_at']);
  });
  await knex.raw('create unique index icons_name_unique on icons (company_id, lower(name)) where deleted_at is null');
  await knex.schema.alterTable('conversations', (t) => {
    t.bigInteger('icon_id').references('icons.id').onDelete('SET NULL');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('conversations', (t) => t.dropColumn('icon_id'));
  await knex.schema.dropTable('icons');
}
