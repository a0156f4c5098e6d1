import type { Knex } from 'knex';

/**
 * Conversation policies (SPEC POLICY §7.1.8) and agents' automatic replies
 * (CHATSET §10.1.2): the settings document, the per-conversation deadlines the
 * timer job scans, anti-spam bookkeeping, and the push outbox that is also the
 * delivery log.
 */
export async function up(knex: Knex): Promise<void> {
  const ts = (t: Knex.CreateTableBuilder, name: string) => t.timestamp(name, { useTz: true });
  const company = (t: Knex.CreateTableBuilder) => t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');

  await knex.schema.createTable('policy_settings', (t) => {
    t.bigInteger('company_id').primary().references('companies.id').onDelete('CASCADE');
    t.jsonb('settings').notNullable().defaultTo('{}');
    t.integer('version').notNullable().defaultTo(1);
    // Push signing secrets, sealed (AES-256-GCM); the previous one stays valid 24 h after a rotation.
    t.text('push_secret');
    t.text('push_secret_previous');
    ts(t, 'push_secret_previous_until');
    ts(t, 'updated_at').notNullable().defaultTo(knex.fn.now());
    t.bigInteger('updated_by');
  });

  // One row per conversation that has a running policy: each *_due_at is a deadline the timer job scans.
  await knex.schema.createTable('conversation_policy_state', (t) => {
    t.bigInteger('conversation_id').primary().references('conversations.id').onDelete('CASCADE');
    company(t);
    t.smallint('timeout_stage').notNullable().defaultTo(0); // 0 idle, 1 first prompt due, 2 second prompt due
    ts(t, 'timeout_due_at');
    t.integer('timeout_second_seconds');
    ts(t, 'autoreply_due_at');
    t.boolean('autoreply_fired').notNullable().defaultTo(false);
    t.smallint('autoreply_count').notNullable().defaultTo(0);
    ts(t, 'held_since');
    ts(t, 'hold_until');
    t.index(['timeout_due_at']);
    t.index(['autoreply_due_at']);
    t.index(['hold_until']);
  });

  await knex.schema.createTable('policy_chat_requests', (t) => {
    t.bigIncrements('id');
    company(t);
    t.bigInteger('visitor_id').notNullable();
    t.text('ip').notNullable();
    ts(t, 'created_at').notNullable();
    t.index(['company_id', 'created_at']);
  });

  await knex.schema.createTable('policy_challenges', (t) => {
    t.uuid('id').primary();
    company(t);
    t.text('answer_hash').notNullable();
    t.smallint('wrong').notNullable().defaultTo(0);
    ts(t, 'expires_at').notNullable();
    ts(t, 'used_at');
  });

  await knex.schema.createTable('policy_verification_passes', (t) => {
    t.bigInteger('visitor_id').primary().references('visitors.id').onDelete('CASCADE');
    company(t);
    ts(t, 'valid_until').notNullable();
  });

  await knex.schema.createTable('policy_push_outbox', (t) => {
    t.bigIncrements('id');
    company(t);
    t.text('event_id').notNullable(); // the webhook-id: the same on every attempt and resend
    t.text('type').notNullable();
    t.bigInteger('conversation_id');
    t.jsonb('body').notNullable();
    t.text('status').notNullable().defaultTo('pending'); // pending | delivered | failed | gone
    t.integer('attempts').notNullable().defaultTo(0);
    t.integer('round_attempts').notNullable().defaultTo(0);
    ts(t, 'next_attempt_at');
    t.integer('last_status');
    t.integer('last_latency_ms');
    t.text('last_error');
    ts(t, 'created_at').notNullable().defaultTo(knex.fn.now());
    ts(t, 'delivered_at');
    t.unique(['company_id', 'event_id']);
    t.index(['next_attempt_at']);
    t.index(['company_id', 'created_at']);
  });

  await knex.schema.createTable('agent_auto_reply', (t) => {
    t.bigInteger('agent_id').primary().references('agents.id').onDelete('CASCADE');
    company(t);
    t.jsonb('settings').notNullable().defaultTo('{}');
    ts(t, 'updated_at').notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'agent_auto_reply',
    'policy_push_outbox',
    'policy_verification_passes',
    'policy_challenges',
    'policy_chat_requests',
    'conversation_policy_state',
    'policy_settings',
  ])
    await knex.schema.dropTableIfExists(table);
}
