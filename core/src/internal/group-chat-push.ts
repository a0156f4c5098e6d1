import { inject, injectable } from '../infra/di.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import type { Tenant } from '../tenancy/tenant.ts';

/** A group's chat and who is in it at one moment. */
export interface GroupChatMembers {
  threadId: number | null;
  memberIds: Set<number>;
}

/**
 * A group's chat follows the group's members through database triggers
 * (INTERNAL-GROUPCHAT-7); this tells the consoles whose list of chats such a
 * change moved: a removed member's console drops the chat at once, the others
 * read it again (new member, member count), and deleting the group dissolves it.
 */
@injectable()
export class GroupChatPush {
  constructor(@inject(RealtimeNotifier) private readonly notifier: RealtimeNotifier) {}

  async members(t: Tenant, groupId: number): Promise<GroupChatMembers> {
    const thread = await t.q('internal_threads').where({ group_id: groupId }).first('id');
    if (!thread) return { threadId: null, memberIds: new Set() };
    const rows = await t.q('internal_thread_members').where({ thread_id: thread.id }).whereNull('left_at').select('agent_id');
    return { threadId: Number(thread.id), memberIds: new Set(rows.map((r: { agent_id: number }) => Number(r.agent_id))) };
  }

  /** The group chats an agent is in (their membership follows the agent's groups). */
  async chatsOf(t: Tenant, agentId: number): Promise<Set<number>> {
    const rows = await t
      .q('internal_thread_members as m')
      .join('internal_threads as th', 'th.id', 'm.thread_id')
      .where({ 'm.agent_id': agentId, 'th.kind': 'group' })
      .whereNull('m.left_at')
      .select('m.thread_id');
    return new Set(rows.map((r: { thread_id: number }) => Number(r.thread_id)));
  }

  /** After an agent's groups changed (the agent form): that agent's console drops and gains group chats at once. */
  announceAgent(agentId: number, before: Set<number>, after: Set<number>): void {
    for (const threadId of before)
      if (!after.has(threadId)) this.notifier.toAgents(rooms.agent(agentId), 'internal.threadRemoved', { threadId, reason: 'removed' });
    for (const threadId of after) if (!before.has(threadId)) this.notifier.toAgents(rooms.agent(agentId), 'internal.threadChanged', { threadId });
  }

  /** After the change has committed: `after` is null when the group (and its chat) is gone. */
  announce(before: GroupChatMembers, after: GroupChatMembers | null): void {
    const threadId = after?.threadId ?? before.threadId;
    if (threadId == null) return;
    for (const id of before.memberIds)
      if (!after?.memberIds.has(id)) this.notifier.toAgents(rooms.agent(id), 'internal.threadRemoved', { threadId, reason: after ? 'removed' : 'dissolved' });
    for (const id of after?.memberIds ?? []) this.notifier.toAgents(rooms.agent(id), 'internal.threadChanged', { threadId });
  }
}
