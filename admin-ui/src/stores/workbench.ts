import { defineStore, storeToRefs } from 'pinia';
import { computed, ref, shallowRef, triggerRef, watch } from 'vue';
import { agentClient } from '@kefu/core/protocol/client';
import { conversationsApi } from '@/api/conversations';
import { useRealtimeStore } from './realtime';
import { useSessionStore } from './session';
import { usePresenceStore } from './presence';
import { createSender } from './workbench-sender';
import { followedTranscripts } from './followed-transcripts';
import { collabOf, type AgentClient, type ConversationView, type LiveVisitor, type LoadState, type MessageView } from './workbench-types';

export interface WorkbenchAlerts {
  /** `request`: a visitor joined the queue; `connected`: a conversation became mine (OTHERSET-NOTIFY-2's events). */
  newChat(conversation: ConversationView, event: 'request' | 'connected'): void;
  newMessage(message: MessageView): void;
  /** A conversation entered my 等待评估 list while the workbench was open (EVAL-PENDING-6, OTHERSET-EVALPROMPT-12). */
  awaiting(conversation: ConversationView): void;
}

const bySeq = (a: MessageView, b: MessageView) => a.seq - b.seq;
/** Messages per page of the chat pane; LATEST asks for a transcript's end. */
const PAGE = 50;
const LATEST = 2 ** 31 - 1;
/** A visitor's typing preview goes after this long without a change (CONV-LIVEVIEW-21). */
const TYPING_TTL_MS = 30_000;

/** Everything the workbench shows (SPEC §1.2, §2.1–2.3), kept live over the `/agent` socket (MAIN-LIVE-5). */
export const useWorkbenchStore = defineStore('workbench', () => {
  const realtime = useRealtimeStore();
  const session = useSessionStore();

  const snapshotState = ref<LoadState>('idle');
  const snapshotError = shallowRef<unknown>(null);
  // The header's switch shares them (TOOLBAR-STATUS-8): one state, kept by the presence store on every screen.
  const presence = usePresenceStore();
  const { status, autoAccept } = storeToRefs(presence);
  const waiting = ref<ConversationView[]>([]);
  const mine = ref<ConversationView[]>([]);
  const visitors = ref<Record<number, LiveVisitor>>({});
  const unread = ref<Record<number, number>>({});
  /** CONV-LIVEVIEW-21: the visitor's unsent input (null: only the signal) and when it last changed. */
  const typing = ref<Record<number, { text: string | null; at: number }>>({});
  /** Stored messages per conversation, in seq order. */
  const messages = shallowRef<Record<number, MessageView[]>>({});
  const messageState = ref<Record<number, LoadState>>({});
  /** Conversations whose transcript has messages before the loaded ones. */
  const hasOlder = ref<Record<number, boolean>>({});
  /** Conversations seen anywhere (mine, queue, ended list), for the pane header of any selection. */
  const known = ref<Record<number, ConversationView>>({});
  const selectedId = ref<number | null>(null);
  const selectedVisitorId = ref<number | null>(null);
  const awaitingCount = ref<number | null>(null);
  const now = ref(Date.now());

  let client: AgentClient | null = null;
  let alerts: WorkbenchAlerts | null = null;
  let offPushes: (() => void)[] = [];
  let ticker: ReturnType<typeof setInterval> | undefined;
  /**
   * MAIN-LIVE-5: the loaded snapshot's version (server ms before it was read). Row, list and
   * counter pushes that arrive while a snapshot loads wait: those stamped before it are already in
   * it and are dropped, the newer ones are applied on top. Once it is loaded every push applies (they
   * come in order, so nodes' clocks never decide what a live console shows).
   */
  let snapshotVersion = 0;
  let snapshotRun = 0;
  let held: { at: number | undefined; apply: () => void }[] | null = null;
  const versioned =
    <P extends { at?: number }>(apply: (p: P) => void) =>
    (p: P) => {
      if (held) held.push({ at: p.at, apply: () => apply(p) });
      else apply(p);
    };
  /** Messages the snapshot's counters already hold (seq up to the conversation's lastSeq then): not counted twice. */
  let countedUpTo: Record<number, number> = {};

  const sender = createSender(() => client, () => session.me?.id ?? 0, (m) => addMessages(m.conversationId, [m]));

  const selected = computed(() => (selectedId.value == null ? null : known.value[selectedId.value] ?? null));
  const selectedVisitor = computed(() => {
    const id = selectedVisitorId.value ?? selected.value?.visitorId;
    return id == null ? null : visitors.value[id] ?? null;
  });
  const totalUnread = computed(() => Object.values(unread.value).reduce((sum, n) => sum + n, 0));

  function remember(list: ConversationView[]) {
    for (const c of list) known.value[c.id] = c;
  }

  function addMessages(conversationId: number, list: MessageView[]) {
    const current = messages.value[conversationId] ?? [];
    const ids = new Set(current.map((m) => m.id));
    const fresh = list.filter((m) => !ids.has(m.id));
    if (!fresh.length) return;
    messages.value = { ...messages.value, [conversationId]: [...current, ...fresh].sort(bySeq) };
    triggerRef(messages);
  }

  const lastSeq = (id: number) => messages.value[id]?.at(-1)?.seq ?? 0;

  async function loadSnapshot() {
    if (!client) return;
    snapshotState.value = 'loading';
    const run = ++snapshotRun;
    held ??= [];
    try {
      const snap = await client.call('workbench.snapshot', {});
      if (run !== snapshotRun) return;
      snapshotVersion = snap.version;
      countedUpTo = Object.fromEntries([...snap.waiting, ...snap.mine].map((c) => [c.id, c.lastSeq]));
      presence.apply(snap, snap.version);
      waiting.value = snap.waiting;
      mine.value = snap.mine;
      remember(snap.waiting);
      remember(snap.mine);
      visitors.value = Object.fromEntries(snap.visitors.map((v) => [v.id, v]));
      // Rows may predate their chat (see patchVisitor): after a reload the queue order still finds my chats.
      [...snap.waiting, ...snap.mine].forEach(patchVisitor);
      unread.value = Object.fromEntries(Object.entries(snap.unread).map(([k, n]) => [Number(k), n]));
      releaseHeld();
      snapshotState.value = 'ready';
      // Replay what was missed while away, then send what waited in the outbox.
      for (const c of snap.mine) if (messageState.value[c.id] === 'ready') void syncConversation(c.id);
      if (selectedId.value != null && messageState.value[selectedId.value] !== 'ready') void loadMessages(selectedId.value);
      void sender.flush();
      void refreshAwaiting();
    } catch (error) {
      if (run !== snapshotRun) return;
      releaseHeld();
      snapshotError.value = error;
      snapshotState.value = 'error';
    }
  }

  /** What came while the snapshot loaded, in arrival order; what the snapshot already holds is dropped. */
  function releaseHeld() {
    const list = held ?? [];
    held = null;
    for (const h of list) if (h.at === undefined || h.at >= snapshotVersion) h.apply();
  }

  async function syncConversation(id: number) {
    if (!client) return;
    try {
      const r = await client.call('sync', { conversationId: id, afterSeq: lastSeq(id) });
      known.value[id] = r.conversation;
      addMessages(id, r.messages);
    } catch {
      // The pane keeps what it has; the next reconnect tries again.
    }
  }

  /** Pushed only because a 历史对话 transcript follows it (HISTORY-ONGOING-13): not the workbench's. */
  const followedOnly = (id: number) => followedTranscripts.has(id) && !known.value[id];

  /** Another agent's live conversation (monitored, CONV-MONITOR-35) is read through `transcript.view`. */
  const othersLive = (id: number) => known.value[id]?.status === 'active' && known.value[id]?.agentId !== session.me?.id;

  async function loadMessages(id: number) {
    messageState.value[id] = 'loading';
    try {
      let r;
      if (othersLive(id) && client) r = await collabOf(client).call('transcript.view', { conversationId: id, afterSeq: 0 });
      else {
        // The latest page only: a transcript of thousands of messages opens as fast as a short one (CONV-PANE-2).
        r = await conversationsApi.page(id, LATEST, PAGE);
        hasOlder.value[id] = r.messages.length === PAGE;
      }
      known.value[id] = r.conversation;
      addMessages(id, r.messages);
      messageState.value[id] = 'ready';
      markRead(id);
    } catch {
      messageState.value[id] = 'error';
    }
  }

  /** The page before the oldest loaded message; false when there was nothing more (or it failed: the next scroll retries). */
  const loadingOlder = new Set<number>();
  async function loadOlder(id: number): Promise<boolean> {
    const first = messages.value[id]?.[0]?.seq;
    if (!hasOlder.value[id] || first == null || loadingOlder.has(id)) return false;
    loadingOlder.add(id);
    try {
      const r = await conversationsApi.page(id, first, PAGE);
      hasOlder.value[id] = r.messages.length === PAGE;
      addMessages(id, r.messages);
      return r.messages.length > 0;
    } catch {
      return false;
    } finally {
      loadingOlder.delete(id);
    }
  }

  /** Ids in 等待评估 at the last refresh; null before the first, so entries already there are not announced. */
  let awaitingIds: Set<number> | null = null;
  async function refreshAwaiting() {
    try {
      const { items } = await conversationsApi.awaitingEvaluation();
      awaitingCount.value = items.length;
      remember(items);
      const before = awaitingIds;
      awaitingIds = new Set(items.map((c) => c.id));
      if (before) for (const c of items) if (!before.has(c.id)) alerts?.awaiting(c);
    } catch {
      awaitingCount.value = null;
    }
  }

  /** `force`: tell the server even when nothing is counted here (a taken-over chat was read while monitoring). */
  function markRead(id: number, force = false) {
    const seq = lastSeq(id);
    // Monitoring never marks anything read (CONV-MONITOR-35).
    if ((!unread.value[id] && !force) || !client || document.visibilityState === 'hidden' || othersLive(id)) return;
    unread.value[id] = 0;
    const c = known.value[id];
    if (c?.status !== 'ended') void client.call('conversation.read', { conversationId: id, seq }).catch(() => undefined);
  }

  /** Rows are not re-pushed when a chat starts or ends, so the list follows the conversations it knows. */
  function patchVisitor(c: ConversationView) {
    const v = visitors.value[c.visitorId];
    if (!v || v.state === 'left' || (v.conversationId !== null && v.conversationId !== c.id)) return;
    const state = c.status === 'queued' ? 'waiting' : c.status === 'active' ? 'chatting' : 'browsing';
    visitors.value[c.visitorId] = { ...v, state, conversationId: c.status === 'ended' ? null : c.id };
  }

  function upsertConversation(c: ConversationView) {
    const before = known.value[c.id];
    patchVisitor(c);
    known.value[c.id] = c;
    const meId = session.me?.id;
    const isMine = c.status === 'active' && c.agentId === meId;
    const index = mine.value.findIndex((m) => m.id === c.id);
    if (isMine && index < 0) {
      mine.value = [c, ...mine.value];
      if (before?.status !== 'active' || before.agentId !== meId) alerts?.newChat(c, 'connected');
    } else if (isMine) mine.value[index] = c;
    else if (index >= 0) mine.value = mine.value.filter((m) => m.id !== c.id);
    if (c.status !== 'queued') waiting.value = waiting.value.filter((w) => w.id !== c.id);
    if (c.status === 'ended' && before?.status !== 'ended') {
      delete typing.value[c.id];
      void refreshAwaiting();
    }
  }

  function listen(c: AgentClient) {
    offPushes = [
      c.on(
        'queue.changed',
        versioned(({ waiting: list }) => {
          const seen = new Set(waiting.value.map((w) => w.id));
          waiting.value = list;
          remember(list);
          list.forEach(patchVisitor);
          const fresh = list.find((w) => !seen.has(w.id));
          if (fresh) alerts?.newChat(fresh, 'request');
        }),
      ),
      c.on(
        'conversation.updated',
        versioned(({ conversation }) => {
          if (!followedOnly(conversation.id)) upsertConversation(conversation);
        }),
      ),
      c.on('message', ({ message }) => {
        if (followedOnly(message.conversationId)) return;
        addMessages(message.conversationId, [message]);
        if (message.senderKind === 'visitor') delete typing.value[message.conversationId];
        if (message.senderKind !== 'visitor' || othersLive(message.conversationId)) return;
        // The counter waits for the snapshot, which may already count this message (MAIN-LIVE-5).
        const count = () => {
          if (message.seq <= (countedUpTo[message.conversationId] ?? 0)) return;
          unread.value[message.conversationId] = (unread.value[message.conversationId] ?? 0) + 1;
          if (selectedId.value === message.conversationId) markRead(message.conversationId);
          alerts?.newMessage(message);
        };
        if (held) held.push({ at: undefined, apply: count });
        else count();
      }),
      c.on('visitor.typing', ({ conversationId, text }) => {
        // An emptied input clears the preview.
        if (text === '') delete typing.value[conversationId];
        else typing.value[conversationId] = { text, at: Date.now() };
      }),
      // Read in another tab or device of the agent (MAIN-TABS-6): only what came after stays unread.
      c.on('conversation.readUpTo', ({ conversationId, seq }) => {
        if (!unread.value[conversationId]) return;
        unread.value[conversationId] = (messages.value[conversationId] ?? []).filter((m) => m.senderKind === 'visitor' && m.seq > seq).length;
      }),
      c.on('visitor.updated', versioned(({ visitor }) => (visitors.value[visitor.id] = visitor))),
      c.on('visitor.hidden', versioned(({ visitorId }) => delete visitors.value[visitorId])),
    ];
    const onDelivery = (p: { conversationId: number; messageId: number; status: string }) => {
      const list = messages.value[p.conversationId];
      const m = list?.find((x) => x.id === p.messageId);
      if (m) {
        m.deliveryStatus = p.status;
        triggerRef(messages);
      }
    };
    c.socket.on('message.delivery', onDelivery);
    offPushes.push(() => c.socket.off('message.delivery', onDelivery));
  }

  /** Called by the workbench page: follows the console's socket and every reconnect. */
  function start(withAlerts: WorkbenchAlerts) {
    alerts = withAlerts;
    ticker ??= setInterval(() => (now.value = Date.now()), 1000);
    return watch(
      () => [realtime.socket, realtime.connects] as const,
      ([socket]) => {
        if (!socket) return;
        if (client?.socket !== socket) {
          offPushes.forEach((off) => off());
          client = agentClient(socket);
          listen(client);
        }
        if (socket.connected) void loadSnapshot();
      },
      { immediate: true },
    );
  }

  function stop() {
    offPushes.forEach((off) => off());
    offPushes = [];
    client = null;
    clearInterval(ticker);
    ticker = undefined;
    alerts = null;
    awaitingIds = null;
  }

  function select(id: number | null) {
    selectedId.value = id;
    if (id == null) return;
    selectedVisitorId.value = known.value[id]?.visitorId ?? null;
    if (!messageState.value[id] || messageState.value[id] === 'error') void loadMessages(id);
    else markRead(id);
  }

  /** The preview, until 30 seconds pass without a change (CONV-LIVEVIEW-21). */
  const typingOf = (id: number) => {
    const entry = typing.value[id];
    return entry && now.value - entry.at < TYPING_TTL_MS ? entry : null;
  };

  const call: AgentClient['call'] = (event, payload, timeout) => {
    if (!client) return Promise.reject(new Error('offline'));
    return client.call(event, payload, timeout);
  };

  const setPresence = presence.set;

  async function accept(id: number) {
    const r = await call('conversation.accept', { conversationId: id });
    upsertConversation(r.conversation);
    select(r.conversation.id);
  }

  async function end(id: number) {
    const r = await call('conversation.end', { conversationId: id });
    upsertConversation(r.conversation);
  }

  return {
    snapshotState, snapshotError, status, autoAccept, waiting, mine, visitors, unread, typingOf, messages, messageState,
    known, selectedId, selectedVisitorId, awaitingCount, now, selected, selectedVisitor, totalUnread, pending: sender.pending,
    start, stop, loadSnapshot, loadMessages, loadOlder, hasOlder, select, upsert: upsertConversation, setPresence, accept, end, markRead, remember, refreshAwaiting, call,
    client: () => client, addMessages, send: sender.send, resend: sender.resend, discard: sender.discard,
  };
});
