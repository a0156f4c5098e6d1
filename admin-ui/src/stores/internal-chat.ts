import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { Socket } from 'socket.io-client';
import { useRealtimeStore } from './realtime';
import { useSessionStore } from './session';

export interface InternalMessage {
  id: number;
  fromAgentId: number;
  toAgentId: number;
  clientId: string;
  text: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface Colleague {
  agentId: number;
  nickname: string;
  status: string | null;
}

type Ack<T> = ({ ok: true } & T) | { error: { code: string; message: string } };

/**
 * Agent-to-agent chat (SPEC INTERNAL-DIRECT-3, -UNREAD-6, -HISTORY-9) over the `/agent` socket. The server has no
 * roster call yet, so the colleague list is the agents online now (`transfer.targets`) plus anyone who wrote.
 */
export const useInternalChatStore = defineStore('internal-chat', () => {
  const realtime = useRealtimeStore();
  const session = useSessionStore();
  const colleagues = ref<Colleague[]>([]);
  const unread = ref<Record<number, number>>({});
  const threads = ref<Record<number, InternalMessage[]>>({});
  const openWith = ref<number | null>(null);
  const total = computed(() => Object.values(unread.value).reduce((n, c) => n + c, 0));

  async function ask<T>(event: string, payload: unknown): Promise<T> {
    const socket = realtime.socket;
    if (!socket) throw new Error('offline');
    const r = (await socket.timeout(8000).emitWithAck(event, payload)) as Ack<T>;
    if ('error' in r) throw Object.assign(new Error(r.error.message), { code: r.error.code });
    return r;
  }

  function add(withId: number, list: InternalMessage[]) {
    const current = threads.value[withId] ?? [];
    const ids = new Set(current.map((m) => m.id));
    threads.value[withId] = [...current, ...list.filter((m) => !ids.has(m.id))].sort((a, b) => a.id - b.id);
  }

  const known = (id: number) => colleagues.value.some((c) => c.agentId === id);

  async function loadRoster() {
    try {
      const { agents } = await ask<{ agents: { agentId: number; nickname: string; status: string }[] }>('transfer.targets', {});
      const others = colleagues.value.filter((c) => !agents.some((a) => a.agentId === c.agentId)).map((c) => ({ ...c, status: null }));
      colleagues.value = [...agents.map((a) => ({ agentId: a.agentId, nickname: a.nickname, status: a.status })), ...others];
    } catch {
      // The list keeps what it had; unread senders still appear.
    }
  }

  function setUnread(list: { agentId: number; count: number }[]) {
    unread.value = Object.fromEntries(list.map((u) => [u.agentId, u.count]));
    for (const u of list) if (!known(u.agentId)) colleagues.value.push({ agentId: u.agentId, nickname: `#${u.agentId}`, status: null });
  }

  async function open(agentId: number) {
    openWith.value = agentId;
    const r = await ask<{ messages: InternalMessage[] }>('internal.history', { withAgentId: agentId });
    add(agentId, r.messages);
    if (unread.value[agentId]) await ask('internal.read', { withAgentId: agentId });
    unread.value[agentId] = 0;
  }

  async function send(toAgentId: number, text: string) {
    const r = await ask<{ message: InternalMessage }>('internal.send', { toAgentId, clientId: crypto.randomUUID(), text });
    add(toAgentId, [r.message]);
  }

  function onMessage({ message }: { message: InternalMessage }) {
    const me = session.me?.id;
    const other = message.fromAgentId === me ? message.toAgentId : message.fromAgentId;
    add(other, [message]);
    if (!known(other)) colleagues.value.push({ agentId: other, nickname: `#${other}`, status: null });
    if (other === openWith.value && message.fromAgentId !== me) void ask('internal.read', { withAgentId: other }).catch(() => undefined);
  }

  function onUnread(p: { unread: { agentId: number; count: number }[] }) {
    setUnread(p.unread.filter((u) => u.agentId !== openWith.value));
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
          socket.on('internal.unread', onUnread);
        }
        if (!socket.connected) return;
        try {
          setUnread((await ask<{ unread: { agentId: number; count: number }[] }>('internal.unread', {})).unread);
        } catch {
          // Counted again on the next reconnect.
        }
      },
      { immediate: true },
    );
  }

  return { colleagues, unread, threads, openWith, total, loadRoster, open, send, follow };
});
