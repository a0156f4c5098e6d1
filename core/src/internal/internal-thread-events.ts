import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import { SocketDispatcher } from '../plugins/socket-dispatcher.ts';
import { ADHOC_MAX, InternalThreads, threadView } from './internal-threads.ts';

const threadId = z.number().int().positive();
const agentPk = z.number().int().positive();
const chatName = z.string().trim().min(1).max(30);

/** The `/agent` events of group and ad-hoc chats (SPEC INTERNAL-GROUPCHAT-7); messages go through `internal.send {threadId}`. */
export const threadClientEvents = {
  'internal.threads': {
    summary: 'My group chats (one per 分组 I belong to) and ad-hoc chats (INTERNAL-GROUPCHAT-7)',
    payload: z.strictObject({}),
    ack: z.object({ threads: z.array(threadView) }),
  },
  'internal.thread': {
    summary: 'One of my chats as I see it now (after `internal.threadChanged`)',
    payload: z.strictObject({ threadId }),
    ack: z.object({ thread: threadView }),
  },
  'internal.thread.create': {
    summary: 'Create an ad-hoc chat of 3–50 members, me included; 409 chat_limit when a member already belongs to 200',
    payload: z.strictObject({ name: chatName, memberIds: z.array(agentPk).min(1).max(ADHOC_MAX) }),
    ack: z.object({ thread: threadView }),
  },
  'internal.thread.rename': {
    summary: 'Rename an ad-hoc chat (creator and admins; else 403 chat_manage_forbidden)',
    payload: z.strictObject({ threadId, name: chatName }),
    ack: z.object({ thread: threadView }),
  },
  'internal.thread.addMembers': {
    summary: 'Add members to an ad-hoc chat (creator and admins); they see messages from now on',
    payload: z.strictObject({ threadId, memberIds: z.array(agentPk).min(1).max(ADHOC_MAX) }),
    ack: z.object({ thread: threadView }),
  },
  'internal.thread.removeMember': {
    summary: 'Remove a member from an ad-hoc chat (creator and admins); they lose it at once',
    payload: z.strictObject({ threadId, agentId: agentPk }),
  },
  'internal.thread.leave': {
    summary: "Leave an ad-hoc chat (any member); a group's chat follows the group (409 group_chat)",
    payload: z.strictObject({ threadId }),
  },
  'internal.thread.dissolve': {
    summary: 'Dissolve (解散) an ad-hoc chat and its messages (creator and admins)',
    payload: z.strictObject({ threadId }),
  },
  'internal.thread.mute': {
    summary: 'Mute (免打扰) a chat for me: only @nickname and @所有人 still notify',
    payload: z.strictObject({ threadId, muted: z.boolean() }),
    ack: z.object({ thread: threadView }),
  },
} as const;

export const threadServerEvents = {
  'internal.threadChanged': {
    summary: 'A chat of mine was created, renamed, muted or changed members: ask `internal.thread` for it',
    payload: z.object({ threadId: z.number() }),
  },
  'internal.threadRemoved': {
    summary: 'I no longer belong to a chat: left, removed or dissolved',
    payload: z.object({ threadId: z.number(), reason: z.enum(['left', 'removed', 'dissolved']) }),
  },
};

export function registerThreadEvents(c: DependencyContainer) {
  const d = c.resolve(SocketDispatcher);
  const threads = c.resolve(InternalThreads);
  const E = threadClientEvents;

  d.on('core', 'internal.threads', { schema: E['internal.threads'].payload, handler: async (_p, caller) => ({ threads: await threads.list(caller.auth) }) });
  d.on('core', 'internal.thread', {
    schema: E['internal.thread'].payload,
    handler: async (p, caller) => ({ thread: await threads.get(caller.auth, p.threadId) }),
  });
  d.on('core', 'internal.thread.create', {
    schema: E['internal.thread.create'].payload,
    handler: async (p, caller) => ({ thread: await threads.create(caller.auth, p) }),
  });
  d.on('core', 'internal.thread.rename', {
    schema: E['internal.thread.rename'].payload,
    handler: async (p, caller) => ({ thread: await threads.rename(caller.auth, p.threadId, p.name) }),
  });
  d.on('core', 'internal.thread.addMembers', {
    schema: E['internal.thread.addMembers'].payload,
    handler: async (p, caller) => ({ thread: await threads.addMembers(caller.auth, p.threadId, p.memberIds) }),
  });
  d.on('core', 'internal.thread.removeMember', {
    schema: E['internal.thread.removeMember'].payload,
    handler: async (p, caller) => ({ thread: await threads.removeMember(caller.auth, p.threadId, p.agentId) }),
  });
  d.on('core', 'internal.thread.leave', { schema: E['internal.thread.leave'].payload, handler: (p, caller) => threads.leave(caller.auth, p.threadId) });
  d.on('core', 'internal.thread.dissolve', {
    schema: E['internal.thread.dissolve'].payload,
    handler: (p, caller) => threads.dissolve(caller.auth, p.threadId),
  });
  d.on('core', 'internal.thread.mute', {
    schema: E['internal.thread.mute'].payload,
    handler: async (p, caller) => ({ thread: await threads.mute(caller.auth, p.threadId, p.muted) }),
  });
}
