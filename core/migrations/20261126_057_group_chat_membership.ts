import type { Knex } from 'knex';

/**
 * A group's chat follows the group (SPEC INTERNAL-GROUPCHAT-7, GROUP-ADD-3) on
 * every path that changes it — group edits, an agent's groups, deletions — so
 * the rule lives beside the data rather than in each service:
 * - a new group gets its chat;
 * - a new member joins after the thread's latest message (sees only what follows);
 * - a removed member is marked left at once. A save that rewrites a group's
 *   member list deletes and inserts in one transaction: a member re-inserted in
 *   the same transaction (same `now()`) keeps their place and history.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function internal_group_thread() returns trigger language plpgsql as $fn$
    begin
      insert into internal_threads (company_id, kind, group_id) values (new.company_id, 'group', new.id);
      return new;
    end $fn$`);
  await knex.raw(`
    create function internal_group_member_joined() returns trigger language plpgsql as $fn$
    declare th bigint;
    begin
      select id into th from internal_threads where group_id = new.group_id;
      if th is null then return new; end if;
      insert into internal_thread_members (company_id, thread_id, agent_id, joined_after_id)
        values (new.company_id, th, new.agent_id, coalesce((select max(id) from internal_messages where thread_id = th), 0))
      on conflict (thread_id, agent_id) do update set
        joined_after_id = case when internal_thread_members.left_at = now() then internal_thread_members.joined_after_id else excluded.joined_after_id end,
        last_read_id = case when internal_thread_members.left_at = now() then internal_thread_members.last_read_id else excluded.joined_after_id end,
        muted = case when internal_thread_members.left_at = now() then internal_thread_members.muted else false end,
        left_at = null;
      return new;
    end $fn$`);
  await knex.raw(`
    create function internal_group_member_left() returns trigger language plpgsql as $fn$
    begin
      update internal_thread_members m set left_at = now()
        from internal_threads t where t.id = m.thread_id and t.group_id = old.group_id and m.agent_id = old.agent_id;
      return old;
    end $fn$`);
  await knex.raw('create trigger groups_internal_thread after insert on groups for each row execute function internal_group_thread()');
  await knex.raw('create trigger group_members_joined after insert on group_members for each row execute function internal_group_member_joined()');
  await knex.raw('create trigger group_members_left after delete on group_members for each row execute function internal_group_member_left()');
  // Groups that exist already get their chats, with their members from the start.
  await knex.raw(`insert into internal_threads (company_id, kind, group_id) select company_id, 'group', id from groups`);
  await knex.raw(`
    insert into internal_thread_members (company_id, thread_id, agent_id)
    select m.company_id, t.id, m.agent_id from group_members m join internal_threads t on t.group_id = m.group_id`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger if exists group_members_left on group_members');
  await knex.raw('drop trigger if exists group_members_joined on group_members');
  await knex.raw('drop trigger if exists groups_internal_thread on groups');
  await knex.raw('drop function if exists internal_group_member_left()');
  await knex.raw('drop function if exists internal_group_member_joined()');
  await knex.raw('drop function if exists internal_group_thread()');
  await knex('internal_threads').where({ kind: 'group' }).delete();
}
