import { z } from 'zod';
import { ack, conversationId, conversationView, messageView, sendMessage, syncRequest } from './message-schemas.ts';
import { messageStyle } from './message-style.ts';

export const agentStatus = z.enum(['online', 'busy', 'away', 'invisible']);

export const liveVisitorView = z.object({
  id: z.number(),
  number: z.number(),
  name: z.string().nullable(),
  state: z.enum(['browsing', 'waiting', 'chatting', 'left']),
  channel: z.string(),
  ip: z.string().nullable(),
  region: z.string().nullable(),
  browser: z.string().nullable(),
  os: z.string().nullable(),
  device: z.string().nullable(),
  language: z.string().nullable(),
  visitCount: z.number(),
  currentUrl: z.string().nullable(),
  currentTitle: z.string().nullable(),
  referrer: z.string().nullable(),
  searchEngine: z.string().nullable(),
  keyword: z.string().nullable(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  conversationId: z.number().nullable(),
  /** 已阻止对话 until `endsAt` (null: permanent), DISPLAY-BLOCKCHAT-13. */
  chatBlock: z.object({ endsAt: z.string().nullable() }).nullable(),
  /** A pending invitation (已邀请, VISITOR-INVITE-9): the inviter's nickname, null for an automatic one. */
  invitation: z.object({ agentNickname: z.string().nullable() }).nullable(),
  /** Outside the service region (REGION-ENFORCE-2): no invitation or proactive chat (TOOLBAR-VISITORBTNS-6). */
  outsideRegion: z.boolean(),
});

/** Stamped on pushes that replace a workbench row, list or counter (MAIN-LIVE-5). */
const pushedAt = z.number().optional().describe('When the emitting node sent it (ms); older than the loaded snapshot `version`: already in it');

/** The `/agent` namespace (console): core events; plugin events are `<pluginId>:<event>`. */
export const agentClientEvents = {
  'presence.set': {
    summary: 'Change status (TOOLBAR-STATUS-8); invisible is for admins only',
    payload: z.strictObject({
      status: agentStatus,
      autoAccept: z.boolean().optional(),
      reason: z
        .enum(['manual', 'idle'])
        .default('manual')
        .describe('idle: the console changed it by the idle rule (OTHERSET-IDLE-9), logged and shown as 空闲'),
    }),
    ack: ack({ status: agentStatus, autoAccept: z.boolean() }),
  },
  'presence.get': {
    summary:
      "This agent's own status, for the header's switch on any screen (TOOLBAR-STATUS-8); later `presence.self` pushes with `at` before `version` are already in it",
    payload: z.strictObject({}),
    ack: ack({ version: z.number().describe('Server time (ms) just before the status was read'), status: agentStatus, autoAccept: z.boolean() }),
  },
  ping: {
    summary: 'Round-trip probe: the console times the ack for its network state (DISPLAY-NETWORK-4)',
    payload: z.strictObject({}),
    ack: ack({}),
  },
  'workbench.snapshot': {
    summary: 'Everything the workbench shows, as one snapshot (after connect or reconnect); pushes with `at` before `version` are already in it (MAIN-LIVE-5)',
    payload: z.strictObject({}),
    ack: ack({
      version: z.number().describe('Server time (ms) just before the snapshot was read'),
      waiting: z.array(conversationView),
      mine: z.array(conversationView),
      visitors: z.array(liveVisitorView),
      status: agentStatus,
      autoAccept: z.boolean(),
      unread: z.record(z.string(), z.number()).describe('Unread visitor messages per conversation id (TOOLBAR-UNREAD-3)'),
    }),
  },
  'conversation.accept': {
    summary: 'Accept a queued conversation; first accept wins (CONV-ACCEPT-5)',
    payload: z.strictObject({ conversationId }),
    permission: 'conversation.accept',
    ack: ack({ conversation: conversationView }),
  },
  'message.send': {
    summary: 'Send a message into a conversation the agent serves; `style` is the palette colour and bold the visitor sees (CONV-FONT-13)',
    payload: sendMessage.extend({ style: messageStyle.optional() }),
    ack: ack({ message: messageView }),
  },
  'liveview.set': {
    summary:
      '实时查看 on or off for a conversation the agent serves; the visitor’s window then sends the unsent input or only the typing signal. `on` is false while the company disallows it (CONV-LIVEVIEW-21)',
    payload: z.strictObject({ conversationId, on: z.boolean() }),
    ack: ack({ on: z.boolean() }),
  },
  'conversation.end': {
    summary: 'End a conversation (CONV-END-26)',
    payload: z.strictObject({ conversationId }),
    ack: ack({ conversation: conversationView }),
  },
  'conversation.read': {
    summary: 'Mark messages up to `seq` read (TOOLBAR-UNREAD-3)',
    payload: z.strictObject({ conversationId, seq: z.number().int().min(0) }),
    ack: ack({}),
  },
  sync: {
    summary: 'Messages after `afterSeq` (replay after a reconnect)',
    payload: syncRequest,
    ack: ack({ conversation: conversationView, messages: z.array(messageView) }),
  },
  'history.follow': {
    summary:
      'An open 历史对话 transcript of a running conversation follows it (`on`) or stops: this socket then gets its `message` and `conversation.updated` pushes; only for a conversation the caller may read (HISTORY-VISIBILITY-5, CONV-MONITOR-35), else not_found (HISTORY-ONGOING-13)',
    payload: z.strictObject({ conversationId, on: z.boolean() }),
    ack: ack({ status: z.enum(['queued', 'active', 'ended']).nullable().describe('null when stopping') }),
  },
} as const;

export const agentServerEvents = {
  'queue.changed': {
    summary: 'The waiting list changed; the payload is the new list',
    payload: z.object({ waiting: z.array(conversationView), at: pushedAt }),
  },
  'conversation.updated': { summary: 'A conversation the agent sees changed state', payload: z.object({ conversation: conversationView, at: pushedAt }) },
  message: { summary: 'A new message in a conversation the agent serves', payload: z.object({ message: messageView }) },
  'visitor.typing': {
    summary: 'The visitor types: `text` is the unsent input under live view, null for the signal alone (CONV-LIVEVIEW-21)',
    payload: z.object({ conversationId: z.number(), text: z.string().nullable() }),
  },
  'visitor.seen': {
    summary: 'The visitor has seen the agent messages up to `seq` (CONV-READ-41): they show 已读 "seen"',
    payload: z.object({ conversationId: z.number(), seq: z.number() }),
  },
  'conversation.readUpTo': {
    summary: 'The agent read this conversation up to `seq` in one of their tabs or devices; the others drop those unread marks (MAIN-TABS-6)',
    payload: z.object({ conversationId: z.number(), seq: z.number() }),
  },
  'conversation.held': {
    summary: 'The visitor closed their last window: the chat is held (访客已离开(保持中)) until `holdUntil`, then ends (POLICY-HOLD-8)',
    payload: z.object({ conversationId: z.number(), holdUntil: z.string() }),
  },
  'conversation.resumed': { summary: 'The visitor of a held chat is back (访客已返回)', payload: z.object({ conversationId: z.number() }) },
  'visitor.updated': { summary: 'A live visitor row changed', payload: z.object({ visitor: liveVisitorView, at: pushedAt }) },
  'visitor.hidden': {
    summary: 'A visitor was blocked (阻止访客): drop the row (DISPLAY-BLOCKVISITOR-12)',
    payload: z.object({ visitorId: z.number(), at: pushedAt }),
  },
  'presence.changed': {
    summary: 'An agent’s status changed',
    payload: z.object({ agentId: z.number(), status: z.enum(['online', 'busy', 'away', 'invisible', 'offline']) }),
  },
  'presence.self': {
    summary: 'This agent’s own status changed (by them on another tab, or by the system with a reason such as `no_response`)',
    payload: z.object({
      status: agentStatus,
      autoAccept: z.boolean(),
      reason: z.string(),
      /** An admin's note when they set this agent to 离开 (reason `forced`, TOOLBAR-FORCE-16). */
      note: z.string().optional(),
      at: pushedAt,
    }),
  },
  'agents.changed': {
    summary: 'An agent of the company was added, edited, disabled, enabled or deleted: rosters, pickers and agent lists reload (AGENT-EVENTS-21)',
    payload: z.object({ agentId: z.number(), kind: z.enum(['created', 'updated', 'permissionsChanged', 'disabled', 'enabled', 'deleted']) }),
  },
  'conversation.offered': {
    summary: 'An automatic assignment to confirm with `conversation.accept` before `expiresAt` (ASSIGN-CONNECT-15 需要客服确认)',
    payload: z.object({ conversation: conversationView, expiresAt: z.string() }),
  },
  'conversation.offerExpired': {
    summary: 'An offer lapsed: the request went back to the queue and the agent is now away (`no_response`)',
    payload: z.object({ conversationId: z.number() }),
  },
  'session.ended': {
    summary: 'This session ended; the socket closes next. A login elsewhere (`replaced`, LOGIN-MULTI-8) says where and when',
    payload: z.object({ reason: z.string(), replacedBy: z.object({ ip: z.string(), at: z.string() }).optional() }),
  },
  'loginLog.changed': {
    summary: 'Login-log rows got their sign-out or a session came back; open login-log screens reload them (LOGINLOG-SESSION-2, LOGINLOG-FORCE-7)',
    payload: z.object({ entryIds: z.array(z.number()) }),
  },
  'plugins.changed': { summary: 'The company’s enabled plugins changed', payload: z.object({ plugins: z.array(z.string()) }) },
  'conversation.evaluated': {
    summary:
      'A conversation’s evaluation changed (HISTORY-EVALUATE-8); consoles showing it reload it through the API, which applies who may see it, so the payload carries no content',
    payload: z.object({ conversationId: z.number(), version: z.number() }),
  },
} as const;
