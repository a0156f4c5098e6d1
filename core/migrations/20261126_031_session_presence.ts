import type { Knex } from 'knex';

/**
 * LOGINLOG-SESSION-2: when each session's consoles last heartbeat (null: none
 * connected yet, or the loss is already logged), so the login log can close an
 * entry with 连接丢失 and a session's expiry can close it with 会话过期. The
 * partial indexes keep the sweep that runs every heartbeat to live sessions.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sessions', (t) => {
    t.timestamp('present_at', { useTz: true });
  });
  await knex.raw('create index sessions_present_live on sessions (present_at) where ended_at is null and present_at is not null');
  await knex.raw('create index sessions_expiry_live on sessions (expires_at) where ended_at is null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists sessions_expiry_live');
  await knex.raw('drop index if exists sessions_present_live');
  await knex.schema.alterTable('sessions', (t) => {
    t.dropColumn('present_at');
  });
}
