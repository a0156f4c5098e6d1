import type { Knex } from 'knex';

/** Visitors and their trail, conversations, messages, agent presence, unread state (SPEC §2). */
export async function up(knex: Knex): Promise<void> {
  const ts = (t: Knex.CreateTableBuilder, name: string) => t.timestamp(name, { useTz: true });

  await knex.schema.createTable('visitors', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    // 访客ID shown to agents: a per-company number that grants nothing (VISITOR-IDENTITY-1).
    t.bigInteger('number').notNullable();
    t.text('token_hash').unique();
    t.text('channel').notNullable().defaultTo('web');
    t.text('external_id');
    t.text('name');
    t.text('email');
    t.text('phone');
    t.text('language');
    t.jsonb('attributes').notNullable().defaultTo('{}');
    t.integer('visit_count').notNullable().defaultTo(0);
    t.text('last_ip');
    t.text('region');
    t.text('browser');
    t.text('os');
    t.text('device');
    ts(t, 'first_seen_at').notNullable().defaultTo(knex.fn.now());
    ts(t, 'last_seen_at').notNullable().defaultTo(knex.fn.now());
    t.unique(['company_id', 'number']);
    t.unique(['company_id', 'channel', 'external_id']);
  });

  await knex.schema.createTable('visits', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('visitor_id').notNullable().references('visitors.id').onDelete('CASCADE');
    t.text('ip');
    t.text('region');
    t.text('browser');
    t.text('os');
    t.text('device');
    t.text('language');
    t.text('referrer');
    t.text('search_engine');
    t.text('search_keyword');
    t.text('landing_url');
    ts(t, 'started_at').notNullable().defaultTo(knex.fn.now());
    ts(t, 'last_at').notNullable().defaultTo(knex.fn.now());
    t.index(['company_id', 'visitor_id', 'started_at']);
  });

  await knex.schema.createTable('page_views', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('visitor_id').notNullable().references('visitors.id').onDelete('CASCADE');
    t.bigInteger('visit_id').notNullable().references('visits.id').onDelete('CASCADE');
    t.text('url').notNullable();
    t.text('title');
    ts(t, 'created_at').notNullable().defaultTo(knex.fn.now());
    t.index(['company_id', 'visitor_id', 'created_at']);
  });

  await knex.schema.createTable('conversations', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('visitor_id').notNullable().references('visitors.id').onDelete('CASCADE');
    t.text('channel').notNullable().defaultTo('web');
    t.text('status').notNullable(); // queued | active | ended
    t.text('initiator').notNullable().defaultTo('visitor');
    t.bigInteger('group_id');
    t.bigInteger('agent_id');
    t.integer('queue_class').notNullable().defaultTo(3);
    t.integer('last_seq').notNullable().defaultTo(0);
    ts(t, 'created_at').notNullable().defaultTo(knex.fn.now());
    ts(t, 'accepted_at');
    ts(t, 'first_reply_at');
    ts(t, 'ended_at');
    t.text('ended_by');
    t.text('end_reason');
    t.text('topic');
    t.boolean('eval_valid');
    t.text('eval_note');
    ts(t, 'evaluated_at');
    t.bigInteger('evaluated_by');
    t.index(['company_id', 'status', 'created_at']);
    t.index(['company_id', 'agent_id', 'status']);
  });
  // One open conversation per visitor, enforced by the database rather than check-then-act.
  await knex.raw("create unique index conversations_one_open on conversations (visitor_id) where status <> 'ended'");

  await knex.schema.createTable('messages', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('conversation_id').notNullable().references('conversations.id').onDelete('CASCADE');
    t.integer('seq').notNullable();
    t.text('client_id').notNullable();
    t.text('sender_kind').notNullable(); // visitor | agent | system | plugin
    t.text('sender_id');
    t.text('sender_name');
    t.text('kind').notNullable(); // text | image | file | link | card | form | rating | system | whisper
    t.text('text');
    t.jsonb('payload');
    ts(t, 'created_at').notNullable().defaultTo(knex.fn.now());
    t.unique(['conversation_id', 'seq']);
    t.unique(['conversation_id', 'client_id']);
  });

  await knex.schema.createTable('agent_presence', (t) => {
    t.bigInteger('agent_id').primary().references('agents.id').onDelete('CASCADE');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.text('status').notNullable().defaultTo('online'); // online | busy | away | invisible
    t.boolean('auto_accept').notNullable().defaultTo(true);
    ts(t, 'heartbeat_at');
    ts(t, 'last_assigned_at');
    t.index(['company_id', 'heartbeat_at']);
  });

  await knex.schema.createTable('conversation_reads', (t) => {
    t.bigInteger('conversation_id').notNullable().references('conversations.id').onDelete('CASCADE');
    t.bigInteger('agent_id').notNullable().references('agents.id').onDelete('CASCADE');
    t.bigInteger('company_id').notNullable();
    t.integer('last_read_seq').notNullable().defaultTo(0);
    t.primary(['conversation_id', 'agent_id']);
  });

  await knex.schema.alterTable('companies', (t) => {
    t.bigInteger('next_visitor_number').notNullable().defaultTo(1);
    t.jsonb('chat_settings').notNullable().defaultTo('{}');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('companies', (t) => {
    t.dropColumn('next_visitor_number');
    t.dropColumn('chat_settings');
  });
  for (const t of ['conversation_reads', 'agent_presence', 'messages', 'conversations', 'page_views', 'visits', 'visitors'])
    await knex.schema.dropTableIfExists(t);
}
