import { z } from 'zod';
import { INVITE_MODES } from '../settings/widget-defaults.ts';
import { ack, clientId, conversationId, conversationView, messageText, messageView, syncRequest } from './message-schemas.ts';

/** Agent actions of SPEC §2.1: transfer, monitor, whisper, take over, invite and proactive chat. */
const id = z.number().int().positive();

export const transferView = z.object({
  id: z.number(),
  conversationId: z.number(),
  fromAgentId: z.number(),
  toAgentId: z.number().nullable(),
  toGroupId: z.number().nullable(),
  note: z.string().nullable(),
  status: z.enum(['pending', 'accepted', 'rejected', 'expired', 'cancelled']),
  reason: z.string().nullable(),
  answeredBy: z.number().nullable(),
  createdAt: z.string(),
  respondedAt: z.string().nullable(),
  expiresAt: z.string(),
});
export type TransferView = z.infer<typeof transferView>;

export const transferTarget = z.object({
  agentId: z.number(),
  nickname: z.string(),
  status: z.enum(['online', 'busy', 'invisible']),
  load: z.number(),
  cap: z.number(),
});

export const monitorView = z.object({ monitorAgentId: z.number(), watchedAgentId: z.number(), startedAt: z.string() });
/** A monitor as the monitored agent is told of it (告知被监控客服). */
export const watcherView = z.object({ agentId: z.number(), nickname: z.string(), startedAt: z.string() });

export const invitationView = z.object({
  id: z.number(),
  visitorId: z.number(),
  agentId: z.number().nullable(),
  agentNickname: z.string().nullable(),
  kind: z.enum(['invite', 'proactive']),
  status: z.enum(['pending', 'accepted', 'declined', 'expired']),
  text: z.string().nullable(),
  conversationId: z.number().nullable(),
  createdAt: z.string(),
  respondedAt: z.string().nullable(),
});
export type InvitationView = z.infer<typeof invitationView>;

/**
 * What the widget is shown: never the agent's internal id. The words are in the visitor's language
 * (INVITE-TEXT-5; `text` is the agent's own when given); `auto` marks an automatic invitation (INVITE-AUTO-3).
 */
export const visitorInvitationView = z.object({
  id: z.number(),
  agentNickname: z.string().nullable(),
  /** INVITE-STYLE-6: a manual invitation's agent while the company shows avatars (`url` null: initials); else null. */
  agent: z.object({ name: z.string(), url: z.string().nullable() }).nullable(),
  text: z.string().nullable(),
  title: z.string(),
  accept: z.string(),
  decline: z.string(),
  auto: z.boolean(),
  mode: z.enum(INVITE_MODES),
  /** 0 = until answered */
  displaySeconds: z.number(),
});

const note = z.string().trim().max(200);

/** 邀请协助 (CONV-JOIN-34): one help request to one colleague; `accepted` while they help, `left` once they stopped. */
export const helpRequestView = z.object({
  id: z.number(),
  conversationId: z.number(),
  agentId: z.number(),
  agentNickname: z.string(),
  invitedBy: z.number(),
  note: z.string().nullable(),
  status: z.enum(['pending', 'accepted', 'rejected', 'expired', 'cancelled', 'left']),
  /** Why it closed: the rejection's reason, `timeout`, `left`, `transferred`, `conversation_ended`… */
  reason: z.string().nullable(),
  createdAt: z.string(),
  respondedAt: z.string().nullable(),
  leftAt: z.string().nullable(),
  expiresAt: z.string(),
});
export type HelpRequestView = z.infer<typeof helpRequestView>;

const helpOffer = z.object({ request: helpRequestView, conversation: conversationView, from: z.object({ id: z.number(), nickname: z.string() }) });

export const collabAgentEvents = {
  'transfer.targets': {
    summary: 'Who can take a transfer now (CONV-TRANSFER-28); invisible admins only for admins (CONV-TRANSFER-29)',
    payload: z.strictObject({}),
    ack: ack({ agents: z.array(transferTarget), groups: z.array(z.object({ id: z.number(), name: z.string(), eligible: z.number() })) }),
  },
  'transfer.start': {
    summary: 'Offer the conversation one serves to an agent or a group (CONV-TRANSFER-28, -32)',
    payload: z
      .strictObject({ conversationId, toAgentId: id.optional(), toGroupId: id.optional(), note: note.optional() })
      .refine((p) => (p.toAgentId === undefined) !== (p.toGroupId === undefined), { message: 'Name exactly one of toAgentId, toGroupId', path: ['toAgentId'] }),
    permission: 'conversation.transfer',
    ack: ack({ transfer: transferView }),
  },
  'transfer.respond': {
    summary: 'Accept or reject an offered transfer (CONV-TRANSFER-30, -31)',
    payload: z.strictObject({ transferId: id, accept: z.boolean(), reason: z.string().trim().max(100).optional() }),
    ack: ack({ transfer: transferView, conversation: conversationView.optional() }),
  },
  'transfer.cancel': {
    summary: 'The sender withdraws a pending transfer (CONV-TRANSFER-28)',
    payload: z.strictObject({ transferId: id }),
    ack: ack({ transfer: transferView }),
  },
  'transcript.view': {
    summary: 'Read-only transcript for the serving agent, a pending transfer target or a monitor (CONV-TRANSFER-30, CONV-MONITOR-35)',
    payload: syncRequest,
    ack: ack({ conversation: conversationView, messages: z.array(messageView) }),
  },
  'monitor.start': {
    summary: 'Start monitoring an agent (CONV-MONITOR-35); idempotent, and re-joins the rooms after a reconnect',
    payload: z.strictObject({ agentId: id }),
    permission: 'conversation.monitor',
    ack: ack({ monitor: monitorView, conversations: z.array(conversationView) }),
  },
  'monitor.targets': {
    summary: 'The 监控客服 picker: agents I may monitor, with status, conversations in progress and already watched (TOOLBAR-MONITORBTNS-7)',
    payload: z.strictObject({}),
    permission: 'conversation.monitor',
    ack: ack({
      agents: z.array(
        z.object({
          agentId: z.number(),
          nickname: z.string(),
          status: z.enum(['online', 'busy', 'away', 'invisible', 'offline']),
          conversations: z.number(),
          watched: z.boolean(),
        }),
      ),
    }),
  },
  'monitor.stop': {
    summary: 'Stop monitoring one agent, or everyone when agentId is left out (CONV-MONITOR-36)',
    payload: z.strictObject({ agentId: id.optional() }),
    ack: ack({ stopped: z.array(z.number()) }),
  },
  'monitor.list': {
    summary: 'Who I monitor; re-joins their conversations after a reload (CONV-MONITOR-36)',
    payload: z.strictObject({}),
    ack: ack({ monitors: z.array(monitorView) }),
  },
  'monitor.watchedBy': {
    summary: 'Who monitors me, for the eye icon; empty while 告知被监控客服 is off (CONV-MONITOR-35, INTERNAL-MONITOR-11)',
    payload: z.strictObject({}),
    ack: ack({ monitors: z.array(watcherView) }),
  },
  'whisper.send': {
    summary: 'A message only agents see (CONV-WHISPER-37)',
    payload: z.strictObject({ conversationId, clientId, text: messageText }),
    ack: ack({ message: messageView }),
  },
  'conversation.takeover': {
    summary: 'A monitor becomes the serving agent (CONV-TAKEOVER-38)',
    payload: z.strictObject({ conversationId }),
    permission: 'conversation.accept',
    ack: ack({ conversation: conversationView }),
  },
  'help.invite': {
    summary: 'The serving agent asks up to 3 colleagues (each eligible as a transfer target) to help (CONV-JOIN-34)',
    payload: z.strictObject({ conversationId, agentIds: z.array(id).min(1).max(3), note: note.optional() }),
    ack: ack({ requests: z.array(helpRequestView) }),
  },
  'help.respond': {
    summary: 'Accept or reject a help request offered to me, as a transfer (CONV-JOIN-34, CONV-TRANSFER-30)',
    payload: z.strictObject({ requestId: id, accept: z.boolean(), reason: z.string().trim().max(100).optional() }),
    ack: ack({ request: helpRequestView, conversation: conversationView.optional() }),
  },
  'help.leave': {
    summary: '退出协助: a helper leaves the conversation (CONV-JOIN-34)',
    payload: z.strictObject({ conversationId }),
    ack: ack({ request: helpRequestView }),
  },
  'help.list': {
    summary: 'The chats I help in and the help requests offered to me; re-joins those rooms after a reload (CONV-JOIN-34)',
    payload: z.strictObject({}),
    ack: ack({ helping: z.array(conversationView), offers: z.array(helpOffer) }),
  },
  'help.members': {
    summary: 'Open help requests and current helpers of a conversation I serve, help in or monitor (CONV-JOIN-34)',
    payload: z.strictObject({ conversationId }),
    ack: ack({ requests: z.array(helpRequestView) }),
  },
  'visitor.invite': {
    summary: 'Invite a browsing visitor to chat (VISITOR-INVITE-9)',
    payload: z.strictObject({ visitorId: id, text: z.string().trim().min(1).max(200).optional() }),
    permission: 'visitor.invite',
    ack: ack({ invitation: invitationView }),
  },
  'visitor.proactive': {
    summary: 'Open a chat with a browsing visitor at once (VISITOR-PROACTIVE-10)',
    payload: z.strictObject({ visitorId: id, text: messageText.optional() }),
    permission: 'visitor.proactive',
    ack: ack({ conversation: conversationView, message: messageView.nullable() }),
  },
} as const;

export const collabAgentServerEvents = {
  'transfer.offered': {
    summary: 'A transfer waits for my answer',
    payload: z.object({ transfer: transferView, conversation: conversationView, from: z.object({ id: z.number(), nickname: z.string() }) }),
  },
  'transfer.accepted': { summary: 'The transfer I sent was accepted', payload: z.object({ transfer: transferView }) },
  'transfer.rejected': {
    summary: 'The transfer I sent was rejected or timed out (reason `timeout`)',
    payload: z.object({ transfer: transferView, reason: z.string().nullable() }),
  },
  'transfer.closed': { summary: 'An offer shown to me is no longer open (answered, withdrawn, expired)', payload: z.object({ transfer: transferView }) },
  'help.offered': { summary: 'A help request waits for my answer (CONV-JOIN-34)', payload: helpOffer },
  'help.accepted': { summary: 'A colleague I asked joined the chat', payload: z.object({ request: helpRequestView }) },
  'help.rejected': {
    summary: 'A colleague I asked rejected, or did not answer in time (reason `timeout`)',
    payload: z.object({ request: helpRequestView, reason: z.string().nullable() }),
  },
  'help.closed': {
    summary: 'A help request shown to me is no longer open, or I no longer help in that chat (left, transferred, ended)',
    payload: z.object({ request: helpRequestView }),
  },
  'help.changed': {
    summary: "A conversation's helpers changed (to its room: serving agent, helpers, monitors)",
    payload: z.object({ conversationId: z.number(), requests: z.array(helpRequestView) }),
  },
  'monitor.conversation': { summary: 'A monitored agent got a conversation', payload: z.object({ conversation: conversationView }) },
  'monitor.watchers': {
    summary: 'Who monitors me changed, or 告知被监控客服 was switched: the eye icon list (empty while the setting is off, CONV-MONITOR-35)',
    payload: z.object({ monitors: z.array(watcherView) }),
  },
  'invitation.changed': { summary: 'An invitation of the company changed (已邀请 on every console)', payload: z.object({ invitation: invitationView }) },
  'invitation.answered': { summary: 'The visitor answered my invitation, or it expired', payload: z.object({ invitation: invitationView }) },
} as const;

export const collabVisitorEvents = {
  'invitation.respond': {
    summary: 'Accept or decline an invitation (VISITOR-INVITE-9, INVITE-ACCEPT-8)',
    payload: z.strictObject({ invitationId: id, accept: z.boolean() }),
    ack: ack({ conversation: conversationView.nullable() }),
  },
} as const;

export const collabVisitorServerEvents = {
  invitation: {
    summary: 'An agent or the company strategies (INVITE-STRATEGY-4) invite the visitor to chat',
    payload: z.object({ invitation: visitorInvitationView }),
  },
  'invitation.closed': { summary: 'The invitation expired', payload: z.object({ invitationId: z.number() }) },
  'proactive.open': {
    summary: 'An agent opened a chat (VISITOR-PROACTIVE-11)',
    payload: z.object({ conversation: conversationView, agent: z.object({ nickname: z.string() }), message: messageView.nullable() }),
  },
} as const;
