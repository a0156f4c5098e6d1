import type { Knex } from 'knex';

/** Agent-to-agent messages (SPEC INTERNAL) and notices to agents with their read receipts (SPEC NOTICE). */
export async function up(knex: Knex): Promise<void> {
  const ts = (t: Knex.CreateTableBuilder, name: string) => t.timestamp(name, { useTz: true });

  await knex.schema.createTable('internal_messages', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('from_agent_id').notNullable().references('agents.id').onDelete('CASCADE');
    t.bigInteger('to_agent_id').notNullable().references('agents.id').onDelete('CASCADE');
    t.text('client_id').notNullable();
    t.text('text');
    // A file reference from the files feature: {fileKey, name, size, mime}.
    t.jsonb('payload');
    ts(t, 'created_at').notNullable().defaultTo(knex.fn.now());
    ts(t, 'read_at');
    // A retried send is stored once (INTERNAL-DIRECT-3, BEYOND-IDEMPOTENT-4).
    t.unique(['from_agent_id', 'client_id']);
    // Thread pages by keyset on id, in both directions of the pair.
    t.index(['company_id', 'from_agent_id', 'to_agent_id', 'id']);
  });
  // Unread counts read only the unread rows.
  await knex.raw('create index internal_messages_unread on internal_messages (company_id, to_agent_id, from_agent_id) where read_at is null');

  await knex.schema.createTable('notices', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('publisher_id').notNullable().references('agents.id').onDelete('CASCADE');
    t.text('title').notNullable();
    t.text('content').notNullable();
    t.boolean('important').notNullable().defaultTo(false);
    t.boolean('everyone').notNullable().defaultTo(false);
    t.specificType('group_ids', 'bigint[]').notNullable().defaultTo('{}');
    t.specificType('agent_ids', 'bigint[]').notNullable().defaultTo('{}');
    ts(t, 'starts_at').notNullable();
    ts(t, 'ends_at').notNullable();
    ts(t, 'delivered_at');
    ts(t, 'withdrawn_at');
    ts(t, 'created_at').notNullable().defaultTo(knex.fn.now());
    t.index(['company_id', 'starts_at']);
  });
  // The `core:notices` job's stored deadlines: what is still to be delivered.
  await knex.raw('create index notices_due on notices (starts_at) where delivered_at is null and withdrawn_at is null');

  await knex.schema.createTable('notice_reads', (t) => {
    t.bigInteger('notice_id').notNullable().references('notices.id').onDelete('CASCADE');
    t.bigInteger('agent_id').notNullable().references('agents.id').onDelete('CASCADE');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    ts(t, 'read_at').notNullable().defaultTo(knex.fn.now());
    t.primary(['notice_id', 'agent_id']);
    t.index(['company_id', 'agent_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const t of ['notice_reads', 'notices', 'internal_messages']) await knex.schema.dropTableIfExists(t);
}
