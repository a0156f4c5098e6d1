import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import { SocketDispatcher } from '../plugins/socket-dispatcher.ts';
import { clientId, messageText } from '../protocol/message-schemas.ts';
import { InternalChatService } from './internal-chat-service.ts';
import { InternalRoster, rosterView } from './internal-roster.ts';
import { InternalShare } from './internal-share.ts';
import { registerThreadEvents, threadClientEvents, threadServerEvents } from './internal-thread-events.ts';

const agentPk = z.number().int().positive();
const threadPk = z.number().int().positive();
/** One-to-one with a colleague, or a group or ad-hoc chat (INTERNAL-GROUPCHAT-7). */
const threadRef = z
  .strictObject({ withAgentId: agentPk.optional(), threadId: threadPk.optional() })
  .refine((p) => (p.withAgentId === undefined) !== (p.threadId === undefined), {
    message: 'A colleague or a chat',
    path: ['withAgentId'],
    params: { code: 'required' },
  });
const messageIds = z.array(z.number().int().positive()).min(1).max(100);
const at = z.string().describe('Server clock, ISO 8601');

const internalFileView = z.object({
  fileKey: z.string(),
  name: z.string(),
  size: z.number(),
  mime: z.string(),
  kind: z.enum(['image', 'file']),
  url: z.string().describe('Opened with the console session by members of the thread only'),
  thumbUrl: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
});
const internalMessageView = z.object({
  id: z.number(),
  fromAgentId: z.number(),
  toAgentId: z.number().nullable().describe('null in a group or ad-hoc chat'),
  threadId: z.number().nullable().describe('The group or ad-hoc chat (INTERNAL-GROUPCHAT-7); null one-to-one'),
  mentions: z.array(z.number()).describe('Members named by @nickname'),
  mentionAll: z.boolean().describe('@所有人 was used'),
  clientId: z.string(),
  text: z.string().nullable(),
  file: internalFileView.nullable(),
  share: z
    .object({
      conversationId: z.number(),
      visitorName: z.string(),
      startedAt: at,
      agentNickname: z.string().nullable(),
      excerpt: z.string().nullable(),
    })
    .nullable()
    .describe('发给同事 card (INTERNAL-SHARE-8); opening it asks GET /api/history/conversations/:id, 404 for whoever may not see it'),
  createdAt: at,
  deliveredAt: at.nullable(),
  readAt: at.nullable(),
  recalledAt: at.nullable(),
});

/** The `/agent` events of agent-to-agent chat (SPEC INTERNAL); every one is scoped to the caller's company. */
export const internalClientEvents = {
  'internal.send': {
    summary: 'Send a colleague a message (INTERNAL-DIRECT-3); a retried clientId returns the stored message',
    payload: z
      .strictObject({
        toAgentId: agentPk.optional(),
        threadId: threadPk
          .optional()
          .describe('A group or ad-hoc chat of mine instead of a colleague (INTERNAL-GROUPCHAT-7); @所有人 without the right → 403 mention_all_forbidden'),
        clientId,
        text: messageText.optional(),
        fileKey: z.string().trim().min(1).max(100).optional().describe('An upload of POST /api/files without a conversation (INTERNAL-FILES-5)'),
        conversationId: z
          .number()
          .int()
          .positive()
          .optional()
          .describe('发给同事: a card naming this visitor conversation, which the sender must see; `text` is the optional comment (INTERNAL-SHARE-8)'),
      })
      .refine((p) => (p.toAgentId === undefined) !== (p.threadId === undefined), {
        message: 'A colleague or a chat',
        path: ['toAgentId'],
        params: { code: 'required' },
      })
      .refine((p) => p.fileKey === undefined || p.conversationId === undefined, {
        message: 'A file or a conversation, not both',
        path: ['conversationId'],
        params: { code: 'invalid' },
      })
      .refine((p) => p.text !== undefined || p.fileKey !== undefined || p.conversationId !== undefined, {
        message: 'Text or a file is required',
        path: ['text'],
        params: { code: 'required' },
      }),
  },
  'internal.roster': {
    summary: 'Every enabled colleague with groups, load and the status this caller may see, since when and why (INTERNAL-ROSTER-1, INTERNAL-PRESENCE-2)',
    payload: z.strictObject({}),
    ack: rosterView,
  },
  'internal.delivered': {
    summary: "This console received these messages addressed to me: the sender's 已送达 time (INTERNAL-TIMES-4)",
    payload: z.strictObject({ messageIds }),
  },
  'internal.history': {
    summary: 'One thread, 50 messages per page, older than `before` (INTERNAL-HISTORY-9); in a chat, from when I joined',
    payload: z
      .strictObject({ withAgentId: agentPk.optional(), threadId: threadPk.optional(), before: z.number().int().positive().optional() })
      .refine((p) => (p.withAgentId === undefined) !== (p.threadId === undefined), {
        message: 'A colleague or a chat',
        path: ['withAgentId'],
        params: { code: 'required' },
      }),
  },
  'internal.read': {
    summary: 'Mark the thread with a colleague, or a chat, read (INTERNAL-UNREAD-6)',
    payload: threadRef,
  },
  'internal.unread': {
    summary: 'Unread counts per colleague and per chat, and their total (INTERNAL-UNREAD-6)',
    payload: z.strictObject({}),
  },
  'internal.recall': {
    summary: 'Recall one of my messages within 2 minutes of sending (INTERNAL-RECALL-10); later → 409 recall_window_passed',
    payload: z.strictObject({ messageId: z.number().int().positive() }),
  },
  ...threadClientEvents,
} as const;

/** Pushes of agent-to-agent chat, to the `agent:<id>` rooms of the agents concerned. */
export const internalServerEvents = {
  'internal.message': { summary: 'A message in one of my threads, sent by me (any tab) or to me', payload: z.object({ message: internalMessageView }) },
  'internal.unread': {
    summary: 'My unread counts per colleague changed (INTERNAL-UNREAD-6)',
    payload: z.object({
      unread: z.array(z.object({ agentId: z.number(), count: z.number() })),
      threads: z.array(z.object({ threadId: z.number(), count: z.number(), mentioned: z.boolean() })),
      total: z.number(),
    }),
  },
  'internal.mentioned': {
    summary: 'I was named by @nickname or @所有人 in a chat: notify even when it is muted (INTERNAL-GROUPCHAT-7)',
    payload: z.object({ threadId: z.number(), message: internalMessageView }),
  },
  ...threadServerEvents,
  'internal.receipt': {
    summary: 'My messages were delivered to (已送达) or read by (已读) the colleague `byAgentId`, at `at` (INTERNAL-TIMES-4)',
    payload: z.object({ kind: z.enum(['delivered', 'read']), byAgentId: z.number(), messageIds: z.array(z.number()), at }),
  },
  'internal.recalled': { summary: 'A message of my thread was recalled (INTERNAL-RECALL-10)', payload: z.object({ message: internalMessageView }) },
  'internal.monitored': {
    summary: 'To a monitor: an internal message of the agent they watch (INTERNAL-MONITOR-11)',
    payload: z.object({ watchedAgentId: z.number(), event: z.enum(['internal.message', 'internal.recalled']), message: internalMessageView }),
  },
};

/**
 * Server pushes: `internal.message {message}` to both agents' rooms,
 * `internal.unread {unread, total}` to the recipient (and to the reader after a
 * read, so every tab clears), `internal.receipt {kind, byAgentId, messageIds, at}`
 * to the sender when their messages are delivered or read, `internal.recalled {message}` to both
 * when one is recalled, and `internal.monitored {watchedAgentId, event, message}`
 * to the monitors of either agent (INTERNAL-MONITOR-11).
 */
export function registerInternalEvents(c: DependencyContainer) {
  const d = c.resolve(SocketDispatcher);
  const chat = c.resolve(InternalChatService);
  const roster = c.resolve(InternalRoster);
  const share = c.resolve(InternalShare);
  const E = internalClientEvents;

  d.on('core', 'internal.send', {
    schema: E['internal.send'].payload,
    handler: async ({ conversationId, ...p }, caller) => ({
      message: await chat.send(
        caller.companyId,
        caller.agentId,
        { ...p, ...(conversationId ? { share: await share.card(caller.auth, conversationId) } : {}) },
        caller.auth,
      ),
    }),
  });
  d.on('core', 'internal.history', {
    schema: E['internal.history'].payload,
    handler: (p, caller) => chat.history(caller.companyId, caller.agentId, p, p.before),
  });
  d.on('core', 'internal.read', {
    schema: E['internal.read'].payload,
    handler: (p, caller) => chat.markRead(caller.companyId, caller.agentId, p),
  });
  d.on('core', 'internal.roster', {
    schema: E['internal.roster'].payload,
    handler: (_p, caller) => roster.list(caller.companyId, { agentId: caller.agentId, isAdmin: caller.auth.agent.role === 'admin' }),
  });
  d.on('core', 'internal.delivered', {
    schema: E['internal.delivered'].payload,
    handler: (p, caller) => chat.delivered(caller.companyId, caller.agentId, p.messageIds),
  });
  // A console that fetches its counts has every message waiting for it: they are delivered now.
  d.on('core', 'internal.unread', {
    schema: E['internal.unread'].payload,
    handler: async (_p, caller) => {
      await chat.delivered(caller.companyId, caller.agentId);
      return chat.unread(caller.companyId, caller.agentId);
    },
  });
  d.on('core', 'internal.recall', {
    schema: E['internal.recall'].payload,
    handler: async (p, caller) => ({ message: await chat.recall(caller.companyId, caller.agentId, p.messageId) }),
  });
  registerThreadEvents(c);
}
