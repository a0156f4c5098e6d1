import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { Socket } from 'socket.io-client';
import { useRealtimeStore } from './realtime';
import { useSessionStore } from './session';

export interface InternalFile {
  fileKey: string;
  name: string;
  size: number;
  mime: string;
  kind: 'image' | 'file';
  url: string;
  thumbUrl?: string;
}

export interface ConversationCard {
  conversationId: number;
  visitorName: string;
  startedAt: string;
  agentNickname: string | null;
  excerpt: string | null;
}

export interface InternalMessage {
  id: number;
  fromAgentId: number;
  toAgentId: number | null;
  /** A group or ad-hoc chat (INTERNAL-GROUPCHAT-7); null one-to-one. */
  threadId: number | null;
  mentions: number[];
  mentionAll: boolean;
  clientId: string;
  text: string | null;
  file: InternalFile | null;
  /** 发给同事: a card naming a visitor conversation (INTERNAL-SHARE-8). */
  share: ConversationCard | null;
  /** Server times (INTERNAL-TIMES-4). */
  createdAt: string;
  deliveredAt: string | null;
  readAt: string | null;
  recalledAt: string | null;
}

/** A group's chat or an ad-hoc chat this agent belongs to (INTERNAL-GROUPCHAT-7). */
export interface GroupChat {
  id: number;
  kind: 'group' | 'adhoc';
  name: string;
  groupId: number | null;
  creatorId: number | null;
  memberIds: number[];
  muted: boolean;
  canManage: boolean;
  canMentionAll: boolean;
}

export type ColleagueStatus = 'online' | 'busy' | 'away' | 'invisible' | 'offline';

/** A colleague as `internal.roster` lists them, with the status this agent may see (INTERNAL-PRESENCE-2). */
export interface Colleague {
  id: number;
  agentId: string;
  name: string;
  nickname: string;
  status: ColleagueStatus;
  since: string | null;
  reason: string | null;
  load: number | null;
  cap: number | null;
  groupIds: number[];
}

type Ack<T> = ({ ok: true } & T) | { error: { code: string; message: string } };
type Receipt = { kind: 'delivered' | 'read'; byAgentId: number; messageIds: number[]; at: string };

/**
 * Agent-to-agent chat (SPEC INTERNAL) over the `/agent` socket: the roster with live status, threads with server
 * times and 已送达/已读 receipts, and unread counts.
 */
export const useInternalChatStore = defineStore('internal-chat', () => {
  const realtime = useRealtimeStore();
  const session = useSessionStore();
  const colleagues = ref<Colleague[]>([]);
  const groups = ref<{ id: number; name: string }[]>([]);
  const rosterState = ref<'idle' | 'loading' | 'ready' | 'error'>('idle');
  const unread = ref<Record<number, number>>({});
  const threads = ref<Record<number, InternalMessage[]>>({});
  const openWith = ref<number | null>(null);
  // Group and ad-hoc chats: their messages sit in `threads` under the key -threadId, beside the colleagues' ids.
  const chats = ref<GroupChat[]>([]);
  const chatUnread = ref<Record<number, { count: number; mentioned: boolean }>>({});
  const openChat = ref<number | null>(null);
  const total = computed(
    () => Object.values(unread.value).reduce((n, c) => n + c, 0) + Object.values(chatUnread.value).reduce((n, c) => n + c.count, 0),
  );

  async function ask<T>(event: string, payload: unknown): Promise<T> {
    const socket = realtime.socket;
    if (!socket) throw new Error('offline');
    const r = (await socket.timeout(8000).emitWithAck(event, payload)) as Ack<T>;
    if ('error' in r) throw Object.assign(new Error(r.error.message), { code: r.error.code });
    return r;
  }

  function add(withId: number, list: InternalMessage[]) {
    const current = threads.value[withId] ?? [];
    const incoming = new Map(list.map((m) => [m.id, m]));
    // A copy that left the server before a receipt (the send's ack, a reload) must not undo 已送达/已读 shown since.
    const kept = current.map((m) => {
      const n = incoming.get(m.id);
      return n ? { ...n, deliveredAt: n.deliveredAt ?? m.deliveredAt, readAt: n.readAt ?? m.readAt } : m;
    });
    const ids = new Set(current.map((m) => m.id));
    threads.value[withId] = [...kept, ...list.filter((m) => !ids.has(m.id))].sort((a, b) => a.id - b.id);
  }

  async function loadRoster() {
    rosterState.value = colleagues.value.length ? 'ready' : 'loading';
    try {
      const r = await ask<{ agents: Colleague[]; groups: { id: number; name: string }[] }>('internal.roster', {});
      colleagues.value = r.agents;
      groups.value = r.groups;
      rosterState.value = 'ready';
    } catch {
      if (!colleagues.value.length) rosterState.value = 'error';
    }
  }

  // A status change moves the dot at once; the roster is read again shortly after for since when and why.
  let rosterTimer: ReturnType<typeof setTimeout> | undefined;
  function onPresence({ agentId, status }: { agentId: number; status: ColleagueStatus }) {
    const c = colleagues.value.find((x) => x.id === agentId);
    if (!c) return;
    c.status = status;
    clearTimeout(rosterTimer);
    rosterTimer = setTimeout(() => void loadRoster(), 500);
  }

  function setUnread(list: { agentId: number; count: number }[]) {
    unread.value = Object.fromEntries(list.map((u) => [u.agentId, u.count]));
  }

  async function open(agentId: number) {
    openChat.value = null;
    openWith.value = agentId;
    const r = await ask<{ messages: InternalMessage[] }>('internal.history', { withAgentId: agentId });
    add(agentId, r.messages);
    if (unread.value[agentId]) await ask('internal.read', { withAgentId: agentId });
    unread.value[agentId] = 0;
  }

  async function send(toAgentId: number, content: { text: string } | { fileKey: string } | { conversationId: number; text?: string }) {
    const r = await ask<{ message: InternalMessage }>('internal.send', { toAgentId, clientId: crypto.randomUUID(), ...content });
    add(toAgentId, [r.message]);
  }

  /** Where a message belongs in `threads`: the colleague's id, or -threadId for a chat. */
  const partnerOf = (m: InternalMessage) => (m.threadId ? -m.threadId : m.fromAgentId === session.me?.id ? m.toAgentId! : m.fromAgentId);

  async function loadChats() {
    chats.value = (await ask<{ threads: GroupChat[] }>('internal.threads', {})).threads;
  }

  async function openThread(threadId: number) {
    openWith.value = null;
    openChat.value = threadId;
    const r = await ask<{ messages: InternalMessage[] }>('internal.history', { threadId });
    add(-threadId, r.messages);
    if (chatUnread.value[threadId]?.count) await ask('internal.read', { threadId });
    delete chatUnread.value[threadId];
  }

  async function sendChat(threadId: number, content: { text: string } | { fileKey: string }) {
    const r = await ask<{ message: InternalMessage }>('internal.send', { threadId, clientId: crypto.randomUUID(), ...content });
    add(-threadId, [r.message]);
  }

  /** Create, rename, members, leave, dissolve, mute: each answers with the chat as it is now (or nothing once gone). */
  async function changeChat(event: string, payload: Record<string, unknown>): Promise<GroupChat | null> {
    const r = await ask<{ thread?: GroupChat | null }>(event, payload);
    if (r.thread) upsertChat(r.thread);
    else if (typeof payload.threadId === 'number') dropChat(payload.threadId);
    return r.thread ?? null;
  }

  function upsertChat(chat: GroupChat) {
    const i = chats.value.findIndex((c) => c.id === chat.id);
    if (i >= 0) chats.value[i] = chat;
    else chats.value.push(chat);
  }

  function dropChat(threadId: number) {
    chats.value = chats.value.filter((c) => c.id !== threadId);
    delete chatUnread.value[threadId];
    delete threads.value[-threadId];
    if (openChat.value === threadId) openChat.value = null;
  }

  async function onThreadChanged({ threadId }: { threadId: number }) {
    try {
      upsertChat((await ask<{ thread: GroupChat }>('internal.thread', { threadId })).thread);
    } catch {
      dropChat(threadId);
    }
  }

  // @nickname and @所有人 notify even in a muted chat: the chat is marked until opened.
  function onMentioned({ threadId }: { threadId: number }) {
    if (threadId !== openChat.value) chatUnread.value[threadId] = { count: chatUnread.value[threadId]?.count ?? 1, mentioned: true };
  }

  function onMessage({ message }: { message: InternalMessage }) {
    const other = partnerOf(message);
    add(other, [message]);
    if (message.fromAgentId === session.me?.id) return;
    if (message.threadId) {
      if (message.threadId === openChat.value) void ask('internal.read', { threadId: message.threadId }).catch(() => undefined);
      return;
    }
    // This console has it: the sender sees 已送达 (INTERNAL-TIMES-4).
    void ask('internal.delivered', { messageIds: [message.id] }).catch(() => undefined);
    if (other === openWith.value) void ask('internal.read', { withAgentId: other }).catch(() => undefined);
  }

  function onRecalled({ message }: { message: InternalMessage }) {
    add(partnerOf(message), [message]);
  }

  function onReceipt(r: Receipt) {
    const ids = new Set(r.messageIds);
    for (const m of threads.value[r.byAgentId] ?? [])
      if (ids.has(m.id)) {
        if (r.kind === 'read') m.readAt ??= r.at;
        m.deliveredAt ??= r.at;
      }
  }

  function setChatUnread(list: { threadId: number; count: number; mentioned: boolean }[] = []) {
    chatUnread.value = Object.fromEntries(list.filter((u) => u.threadId !== openChat.value).map((u) => [u.threadId, { count: u.count, mentioned: u.mentioned }]));
  }

  function onUnread(p: { unread: { agentId: number; count: number }[]; threads?: { threadId: number; count: number; mentioned: boolean }[] }) {
    setUnread(p.unread.filter((u) => u.agentId !== openWith.value));
    setChatUnread(p.threads);
  }

  /** Follows the console's socket for the whole signed-in session. */
  function follow() {
    let bound: Socket | null = null;
    return watch(
      () => [realtime.socket, realtime.connects] as const,
      async ([socket]) => {
        if (!socket) return;
        if (bound !== socket) {
          bound = socket;
          socket.on('internal.message', onMessage);
          socket.on('internal.recalled', onRecalled);
          socket.on('internal.receipt', onReceipt);
          socket.on('internal.unread', onUnread);
          socket.on('presence.changed', onPresence);
          socket.on('internal.threadChanged', onThreadChanged);
          socket.on('internal.threadRemoved', ({ threadId }: { threadId: number }) => dropChat(threadId));
          socket.on('internal.mentioned', onMentioned);
        }
        if (!socket.connected) return;
        try {
          onUnread(await ask<Parameters<typeof onUnread>[0]>('internal.unread', {}));
        } catch {
          // Counted again on the next reconnect.
        }
      },
      { immediate: true },
    );
  }

  return {
    colleagues,
    groups,
    rosterState,
    unread,
    threads,
    openWith,
    total,
    loadRoster,
    open,
    send,
    follow,
    chats,
    chatUnread,
    openChat,
    loadChats,
    openThread,
    sendChat,
    changeChat,
  };
});
