import { z } from 'zod';

/** Shared message shapes of the realtime protocol (docs/protocol.md). */
export const clientId = z.string().trim().min(8).max(64).describe('UUID chosen by the sender; a retried send with the same id is stored once');
export const conversationId = z.number().int().positive();

// CONV-MESSAGE-8: text is 1–5,000 characters after trimming.
export const messageText = z
  .string()
  .trim()
  .min(1)
  .refine((s) => [...s].length <= 5000, { message: 'At most 5,000 characters', params: { code: 'text_too_long' } });

export const sendMessage = z.strictObject({
  conversationId,
  clientId,
  kind: z.literal('text').default('text'),
  text: messageText,
});

export const messageView = z.object({
  id: z.number(),
  conversationId: z.number(),
  seq: z.number(),
  clientId: z.string(),
  senderKind: z.enum(['visitor', 'agent', 'system', 'plugin']),
  senderId: z.string().nullable(),
  senderName: z.string().nullable(),
  kind: z.enum(['text', 'image', 'file', 'link', 'card', 'form', 'rating', 'system', 'whisper']),
  text: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()).nullable(),
  /** Channel messages only: pending | sent | delivered | failed. */
  deliveryStatus: z.string().nullable(),
  createdAt: z.string(),
});
export type MessageView = z.infer<typeof messageView>;

export const conversationView = z.object({
  id: z.number(),
  visitorId: z.number(),
  visitorNumber: z.number(),
  visitorName: z.string().nullable(),
  channel: z.string(),
  status: z.enum(['queued', 'active', 'ended']),
  initiator: z.string(),
  /** The group the request was made for; kept when it overflows (GROUP-OVERFLOW-7). */
  groupId: z.number().nullable(),
  /** Who may take it now: that group, its overflow group, or null for the whole company (GROUP-SCOPE-5). */
  scopeGroupId: z.number().nullable(),
  /** 溢出: sent on from its group to another group or the whole company (GROUP-OVERFLOW-7). */
  overflowed: z.boolean(),
  agentId: z.number().nullable(),
  agentNickname: z.string().nullable(),
  lastSeq: z.number(),
  createdAt: z.string(),
  acceptedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  endedBy: z.string().nullable(),
  endReason: z.string().nullable(),
});
export type ConversationView = z.infer<typeof conversationView>;

export const syncRequest = z.strictObject({ conversationId, afterSeq: z.number().int().min(0).default(0) });
export const ack = <T extends z.ZodRawShape>(shape: T) => z.object({ ok: z.literal(true), ...shape });
