import type { Knex } from 'knex';

/**
 * Group chats in internal chat (SPEC INTERNAL-GROUPCHAT-7): a thread is either a
 * group's chat (one per 分组, members follow the group) or an ad-hoc chat with a
 * name and a creator. One-to-one messages keep `to_agent_id` and no thread; a
 * thread message has `thread_id` and no recipient, so the existing one-to-one
 * queries (unread, receipts, history) never see it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('internal_threads', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.text('kind').notNullable(); // group | adhoc
    // A group's chat goes with the group (GROUP-ADD-3); its name is the group's.
    t.bigInteger('group_id').unique().references('groups.id').onDelete('CASCADE');
    t.text('name');
    t.bigInteger('creator_id').references('agents.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['company_id', 'kind']);
  });
  await knex.schema.createTable('internal_thread_members', (t) => {
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.bigInteger('thread_id').notNullable().references('internal_threads.id').onDelete('CASCADE');
    t.bigInteger('agent_id').notNullable().references('agents.id').onDelete('CASCADE');
    // A member sees the thread's messages with a larger id: a new member starts from when they joined.
    t.bigInteger('joined_after_id').notNullable().defaultTo(0);
    // Set when a group's member left the group; the row keeps their read position should they return in the same save.
    t.timestamp('left_at', { useTz: true });
    t.bigInteger('last_read_id').notNullable().defaultTo(0);
    t.timestamp('read_at', { useTz: true });
    t.boolean('muted').notNullable().defaultTo(false);
    t.primary(['thread_id', 'agent_id']);
    t.index(['company_id', 'agent_id']);
  });
  await knex.schema.alterTable('internal_messages', (t) => {
    t.bigInteger('thread_id').references('internal_threads.id').onDelete('CASCADE');
    // Agent ids named by @nickname, and whether @所有人 was used (checked at send time).
    t.jsonb('mentions');
    t.boolean('mention_all').notNullable().defaultTo(false);
    t.index(['thread_id', 'id']);
  });
  await knex.raw('alter table internal_messages alter column to_agent_id drop not null');
  await knex.raw('alter table internal_messages add constraint internal_messages_target check ((to_agent_id is null) <> (thread_id is null))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table internal_messages drop constraint if exists internal_messages_target');
  await knex('internal_messages').whereNotNull('thread_id').delete();
  await knex.raw('alter table internal_messages alter column to_agent_id set not null');
  await knex.schema.alterTable('internal_messages', (t) => {
    t.dropIndex(['thread_id', 'id']);
    t.dropColumn('mention_all');
    t.dropColumn('mentions');
    t.dropColumn('thread_id');
  });
  await knex.schema.dropTableIfExists('internal_thread_members');
  await knex.schema.dropTableIfExists('internal_threads');
}
