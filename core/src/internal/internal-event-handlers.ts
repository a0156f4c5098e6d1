import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import { SocketDispatcher } from '../plugins/socket-dispatcher.ts';
import { clientId, messageText } from '../protocol/message-schemas.ts';
import { InternalChatService } from './internal-chat-service.ts';

const agentPk = z.number().int().positive();

/** A file made by the files feature (INTERNAL-FILES-5); uploads and size rules live there. */
export const internalFile = z.strictObject({
  fileKey: z.string().trim().min(1).max(200),
  name: z.string().trim().min(1).max(255),
  size: z.number().int().min(0),
  mime: z.string().trim().min(1).max(200),
});

/** The `/agent` events of agent-to-agent chat (SPEC INTERNAL); every one is scoped to the caller's company. */
export const internalClientEvents = {
  'internal.send': {
    summary: 'Send a colleague a message (INTERNAL-DIRECT-3); a retried clientId returns the stored message',
    payload: z
      .strictObject({ toAgentId: agentPk, clientId, text: messageText.optional(), file: internalFile.optional() })
      .refine((p) => p.text !== undefined || p.file !== undefined, { message: 'Text or a file is required', path: ['text'], params: { code: 'required' } }),
  },
  'internal.history': {
    summary: 'One thread, 50 messages per page, older than `before` (INTERNAL-HISTORY-9)',
    payload: z.strictObject({ withAgentId: agentPk, before: z.number().int().positive().optional() }),
  },
  'internal.read': {
    summary: 'Mark the thread with a colleague read (INTERNAL-UNREAD-6)',
    payload: z.strictObject({ withAgentId: agentPk }),
  },
  'internal.unread': {
    summary: 'Unread counts per colleague and their total (INTERNAL-UNREAD-6)',
    payload: z.strictObject({}),
  },
  'internal.recall': {
    summary: 'Recall one of my messages within 2 minutes of sending (INTERNAL-RECALL-10); later → 409 recall_window_passed',
    payload: z.strictObject({ messageId: z.number().int().positive() }),
  },
} as const;

/**
 * Server pushes: `internal.message {message}` to both agents' rooms,
 * `internal.unread {unread, total}` to the recipient (and to the reader after a
 * read, so every tab clears), `internal.receipt {readerId, upToId, readAt}` to
 * the sender when their messages are read, `internal.recalled {message}` to both
 * when one is recalled, and `internal.monitored {watchedAgentId, event, message}`
 * to the monitors of either agent (INTERNAL-MONITOR-11).
 */
export function registerInternalEvents(c: DependencyContainer) {
  const d = c.resolve(SocketDispatcher);
  const chat = c.resolve(InternalChatService);
  const E = internalClientEvents;

  d.on('core', 'internal.send', {
    schema: E['internal.send'].payload,
    handler: async (p, caller) => ({ message: await chat.send(caller.companyId, caller.agentId, p) }),
  });
  d.on('core', 'internal.history', {
    schema: E['internal.history'].payload,
    handler: (p, caller) => chat.history(caller.companyId, caller.agentId, p.withAgentId, p.before),
  });
  d.on('core', 'internal.read', {
    schema: E['internal.read'].payload,
    handler: (p, caller) => chat.markRead(caller.companyId, caller.agentId, p.withAgentId),
  });
  d.on('core', 'internal.unread', {
    schema: E['internal.unread'].payload,
    handler: (_p, caller) => chat.unread(caller.companyId, caller.agentId),
  });
  d.on('core', 'internal.recall', {
    schema: E['internal.recall'].payload,
    handler: async (p, caller) => ({ message: await chat.recall(caller.companyId, caller.agentId, p.messageId) }),
  });
}
