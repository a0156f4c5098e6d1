import { z } from 'zod';
import { invitationView } from '../protocol/collab-events.ts';
import { conversationView, messageView } from '../protocol/message-schemas.ts';

/** 邀请访客 / 主动对话 from a leave-message (LEAVEMSG-CHAT-10); the text rules are those of VISITOR-INVITE-9 and -PROACTIVE-10. */
export const outreachBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('invite'), text: z.string().trim().min(1).max(200).optional() }),
  z.strictObject({ kind: z.literal('proactive'), text: z.string().trim().min(1).max(5000).optional() }),
]);

export const outreachView = z.object({
  /** The leave-message's visitor is on the site now, so the detail offers both actions. */
  visitorOnline: z.boolean(),
  /** What was started from this leave-message, newest first, with the conversation it led to. */
  items: z.array(
    z.object({
      kind: z.enum(['invite', 'proactive']),
      status: z.enum(['pending', 'accepted', 'declined', 'expired']),
      agentName: z.string().nullable(),
      conversationId: z.number().nullable(),
      createdAt: z.string(),
    }),
  ),
});

export const outreachStarted = z.object({
  invitation: invitationView.optional(),
  conversation: conversationView.optional(),
  message: messageView.nullable().optional(),
});
