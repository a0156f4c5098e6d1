import type { Knex } from 'knex';

/**
 * Robot plugin tables (SPEC ROBOT-*): knowledge categories and entries, synonyms,
 * settings, unmatched questions and daily counters. Rolled back in full on uninstall.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('robot_categories', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('parent_id').references('robot_categories.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.text('kind').notNullable().defaultTo('custom'); // smalltalk | default | custom
    t.integer('sort').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['company_id', 'parent_id']);
  });

  await knex.schema.createTable('robot_entries', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('category_id').references('robot_categories.id').onDelete('SET NULL');
    t.text('question').notNullable();
    t.specificType('phrasings', 'text[]').notNullable().defaultTo('{}');
    t.text('answer').notNullable(); // sanitised rich text (sanitize-html)
    t.specificType('keywords', 'text[]').notNullable().defaultTo('{}');
    t.text('language').notNullable().defaultTo('all'); // all | zh-CN | zh-TW | en | ja | ko
    t.boolean('enabled').notNullable().defaultTo(true);
    t.integer('hit_count').notNullable().defaultTo(0);
    t.integer('click_count').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['company_id', 'category_id']);
  });

  await knex.schema.createTable('robot_synonyms', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.specificType('words', 'text[]').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['company_id']);
  });

  await knex.schema.createTable('robot_settings', (t) => {
    t.bigInteger('company_id').primary().references('companies.id').onDelete('CASCADE');
    t.text('mode').notNullable().defaultTo('when_no_agent'); // off | when_no_agent | first
    t.float('direct_threshold').notNullable().defaultTo(0.8);
    t.float('list_threshold').notNullable().defaultTo(0.4);
    t.jsonb('texts').notNullable().defaultTo('{}'); // {name, welcome, fallback, handover, noAgent: {lang: text}}
    t.specificType('handover_keywords', 'text[]').notNullable().defaultTo(knex.raw(`'{转人工,人工,人工客服,agent,human}'::text[]`));
    // Bumped on every knowledge change so each node rebuilds its in-memory index (ROBOT-PERF-25).
    t.integer('kb_version').notNullable().defaultTo(0);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw("alter table robot_settings add constraint robot_settings_mode check (mode in ('off', 'when_no_agent', 'first'))");

  await knex.schema.createTable('robot_unmatched', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.text('normalized').notNullable();
    t.text('question').notNullable();
    t.integer('count').notNullable().defaultTo(1);
    t.bigInteger('sample_conversation_id');
    t.timestamp('first_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['company_id', 'normalized']);
  });

  // Daily counters for ROBOT-STATS-22 (hand-over rate = handovers / conversations).
  await knex.schema.createTable('robot_daily', (t) => {
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.date('day').notNullable();
    for (const c of ['conversations', 'received', 'answered', 'related', 'fallback', 'clicks', 'handovers']) t.integer(c).notNullable().defaultTo(0);
    t.primary(['company_id', 'day']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const name of ['robot_daily', 'robot_unmatched', 'robot_settings', 'robot_synonyms', 'robot_entries', 'robot_categories'])
    await knex.schema.dropTableIfExists(name);
}
