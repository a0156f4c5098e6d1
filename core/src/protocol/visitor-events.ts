import { z } from 'zod';
import { ack, conversationId, conversationView, messageView, sendMessage, syncRequest } from './message-schemas.ts';

/** An icon's key as embedded in the page (`data-icon`). */
export const iconKeySchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** The answer to the image challenge of a `verification_required` refusal (POLICY-SPAM-4/5). */
export const verificationAnswer = z.strictObject({ challengeId: z.uuid(), answer: z.string().trim().min(1).max(10) });

/**
 * The `/visitor` namespace (widget). Handshake `auth: {companyId, token?}`; the
 * server answers with a `session` event carrying the token to keep (a token the
 * client makes up is never accepted: an unknown one gets a new visitor).
 */
export const visitorClientEvents = {
  'page.view': {
    summary: 'A page of the company site was opened (VISITOR-ARRIVE-2)',
    payload: z.strictObject({
      url: z.string().trim().min(1).max(2048),
      title: z.string().max(500).optional(),
      referrer: z.string().max(2048).optional(),
      language: z.string().max(20).optional(),
      /** The page's icon (`data-icon`): while the visitor list is limited to groups, its binding decides who sees the visitor (VISITOR-SCOPE-4). */
      iconKey: iconKeySchema.optional(),
    }),
    ack: ack({ visitId: z.number() }),
  },
  'chat.request': {
    summary: 'Ask for a chat; returns the open conversation if there is one (CONV-REQUEST-4)',
    payload: z.strictObject({
      groupId: z.number().int().positive().optional(),
      /** The embedded icon's key (`data-icon`): its binding scopes the chat (ICON-BIND-5). */
      iconKey: iconKeySchema.optional(),
      /** ICON-GROUP-6: the agent entry of that group icon the visitor picked; the chat is offered to that agent only. */
      agentId: z.number().int().positive().optional(),
      form: z.record(z.string(), z.string().max(500)).optional(),
      verification: verificationAnswer.optional(),
    }),
    ack: ack({ conversation: conversationView, position: z.number().nullable(), estimatedWaitMinutes: z.number().nullable() }),
  },
  'message.send': {
    summary: 'Send a message; stored before the ack, idempotent by clientId (CONV-IDEMPOTENT-9)',
    payload: sendMessage,
    ack: ack({ message: messageView }),
  },
  typing: {
    summary:
      'The visitor types: with live view on (`liveview`) the unsent input, at most every 300 ms; otherwise no `text`, only the signal. Relayed to the agents, never stored (CONV-LIVEVIEW-21)',
    payload: z.strictObject({ conversationId, text: z.string().max(5000).optional() }),
    ack: ack({}),
  },
  sync: {
    summary: 'Messages after `afterSeq` (replay after a reconnect)',
    payload: syncRequest,
    ack: ack({ conversation: conversationView, messages: z.array(messageView) }),
  },
  'messages.seen': {
    summary: 'Agent messages up to `seq` were seen: the window open and the page visible (CONV-READ-41)',
    payload: z.strictObject({ conversationId, seq: z.number().int().min(0) }),
    ack: ack({}),
  },
  'chat.end': {
    summary: 'The visitor ends the conversation (CONV-VISITOREND-27)',
    payload: z.strictObject({ conversationId }),
    ack: ack({ conversation: conversationView }),
  },
  'queue.leave': {
    summary: 'Stop waiting: 取消排队, or 留言 to leave a message instead; the request ends at once (ASSIGN-LEAVE-11, CONV-QUEUE-7)',
    payload: z.strictObject({ conversationId, leaveMessage: z.boolean().default(false) }),
    ack: ack({ conversation: conversationView }),
  },
  'queue.continue': {
    summary: '继续等待 after the maximum wait: one more period, then the request ends with `queue_timeout` (ASSIGN-OVERFLOW-10)',
    payload: z.strictObject({ conversationId }),
    ack: ack({ waitUntil: z.string().nullable() }),
  },
} as const;

/** Server → visitor pushes. */
export const visitorServerEvents = {
  session: {
    summary: 'After connecting: the token to store, the open conversation if any, and whether a block makes the widget show offline',
    payload: z.object({ token: z.string(), visitorNumber: z.number(), conversation: conversationView.nullable(), blocked: z.boolean() }),
  },
  message: { summary: 'A new message in the visitor’s conversation', payload: z.object({ message: messageView }) },
  'conversation.updated': { summary: 'State changed (accepted, ended…)', payload: z.object({ conversation: conversationView }) },
  'queue.position': {
    summary: 'Position in the queue, and an estimated wait when the company shows it (ASSIGN-POSITION-9)',
    payload: z.object({ conversationId: z.number(), position: z.number(), estimatedWaitMinutes: z.number().nullable() }),
  },
  'service.blocked': {
    summary:
      'A block covering this visitor started or ended: while blocked the widget shows the offline state, nothing more (DISPLAY-BLOCKCHAT-13, DISPLAY-BLOCKEND-15)',
    payload: z.object({ blocked: z.boolean() }),
  },
  liveview: {
    summary:
      'Whether the window sends the unsent input (`typing` with `text`) or only the typing signal: the serving agent’s 实时查看 within the company setting (CONV-LIVEVIEW-21)',
    payload: z.object({ conversationId: z.number(), on: z.boolean() }),
  },
  'queue.prompt': {
    summary: 'The maximum wait was reached: keep waiting (`queue.continue`) or leave a message (`queue.leave`) before `answerBy` (ASSIGN-OVERFLOW-10)',
    payload: z.object({ conversationId: z.number(), answerBy: z.string().nullable() }),
  },
} as const;
