import type { Knex } from 'knex';

/**
 * Agent tools (SPEC CHATSET-CANNED-7, CHATSET-LINKS-12, CHATSET-FILES-13,
 * CHATSET-TOPICS-4): canned replies, common links and common files in groups,
 * each with a company scope (agent_id null) and one personal scope per agent;
 * and the company's conversation topics.
 */
export async function up(knex: Knex): Promise<void> {
  const ts = (t: Knex.CreateTableBuilder, name: string) => t.timestamp(name, { useTz: true });
  const owned = (t: Knex.CreateTableBuilder) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    // Null: the company scope; otherwise the agent's personal scope.
    t.bigInteger('agent_id').references('agents.id').onDelete('CASCADE');
    t.integer('position').notNullable().defaultTo(0);
    ts(t, 'created_at').notNullable().defaultTo(knex.fn.now());
    ts(t, 'updated_at').notNullable().defaultTo(knex.fn.now());
  };

  await knex.schema.createTable('agent_tool_groups', (t) => {
    owned(t);
    t.text('kind').notNullable(); // canned | link | file
    t.text('name').notNullable();
    // welcome | common | closing for the seeded groups, so the console can name them in its language; cleared on rename.
    t.text('builtin');
  });
  // Expression indexes: a plain unique index would treat every company-scope row (agent_id null) as distinct.
  await knex.raw('create unique index agent_tool_groups_name_unique on agent_tool_groups (company_id, kind, coalesce(agent_id, 0), lower(name))');

  const item = (t: Knex.CreateTableBuilder) => {
    owned(t);
    t.bigInteger('group_id').notNullable().references('agent_tool_groups.id').onDelete('RESTRICT');
    t.index(['company_id', 'agent_id', 'group_id', 'position']);
  };
  await knex.schema.createTable('canned_replies', (t) => {
    item(t);
    t.text('title');
    t.text('content').notNullable();
    t.text('shortcut'); // without the leading "/"
  });
  await knex.raw(
    'create unique index canned_replies_shortcut_unique on canned_replies (company_id, coalesce(agent_id, 0), lower(shortcut)) where shortcut is not null',
  );
  await knex.schema.createTable('common_links', (t) => {
    item(t);
    t.text('title').notNullable();
    t.text('url').notNullable();
  });
  await knex.schema.createTable('common_files', (t) => {
    item(t);
    t.text('title').notNullable();
    // The stored upload; messages sent from it point to their own files rows, so replacing this one breaks nothing.
    t.bigInteger('file_id').notNullable().references('files.id').onDelete('RESTRICT');
  });

  await knex.schema.createTable('conversation_topics', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.integer('position').notNullable().defaultTo(0);
    t.boolean('is_default').notNullable().defaultTo(false);
    // Deleted topics stay so past conversations and reports keep their name (CHATSET-TOPICS-4).
    ts(t, 'deleted_at');
    ts(t, 'created_at').notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('create unique index conversation_topics_name_unique on conversation_topics (company_id, lower(name)) where deleted_at is null');
  await knex.raw('create unique index conversation_topics_default_unique on conversation_topics (company_id) where is_default and deleted_at is null');
}

export async function down(knex: Knex): Promise<void> {
  for (const t of ['conversation_topics', 'common_files', 'common_links', 'canned_replies', 'agent_tool_groups']) await knex.schema.dropTableIfExists(t);
}
