import type { Knex } from 'knex';

/**
 * Operator-wide settings (the renewal contact of BILLING-CONTACT-11), feedback
 * items and their threads (FEEDBACK §9.4), and per-agent preferences (DISPLAY,
 * OTHERSET §10.1) stored as one document per agent.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('server_settings', (t) => {
    t.text('key').primary();
    t.jsonb('value').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('feedback_items', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('agent_id').notNullable().references('agents.id').onDelete('CASCADE');
    t.text('type').notNullable(); // problem | suggestion | other
    t.text('title').notNullable();
    t.text('contact');
    t.jsonb('diagnostics');
    t.text('state').notNullable().defaultTo('submitted'); // submitted | in_progress | replied | closed
    // Replies the submitter has not opened yet (FEEDBACK-LIST-3's badge).
    t.integer('unread_replies').notNullable().defaultTo(0);
    t.timestamp('closed_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['company_id', 'agent_id', 'created_at']);
    t.index(['state', 'created_at']);
  });

  await knex.schema.createTable('feedback_messages', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('item_id').notNullable().references('feedback_items.id').onDelete('CASCADE');
    t.text('author_kind').notNullable(); // submitter | operator | admin
    t.bigInteger('author_agent_id');
    t.text('content').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['item_id', 'id']);
  });

  await knex.schema.createTable('agent_preferences', (t) => {
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('agent_id').notNullable().references('agents.id').onDelete('CASCADE');
    t.jsonb('prefs').notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['company_id', 'agent_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const t of ['agent_preferences', 'feedback_messages', 'feedback_items', 'server_settings']) await knex.schema.dropTableIfExists(t);
}
