import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { useRealtimeStore } from './realtime';
import { useSessionStore } from './session';
import { useWorkbenchStore } from './workbench';
import { collabOf, type CollabClient, type ConversationView } from './workbench-types';

/**
 * 监控客服 (SPEC CONV-MONITOR-35/36, TOOLBAR-MONITORBTNS-7): who this agent monitors and their live
 * conversations. The watch list lives on the server, so after a reload or reconnect it is read back and
 * each watch re-started (idempotent) to learn the conversations in progress.
 */
export const useMonitorStore = defineStore('workbench-monitor', () => {
  const realtime = useRealtimeStore();
  const session = useSessionStore();
  const workbench = useWorkbenchStore();
  /** Agent ids being monitored. */
  const watched = ref<number[]>([]);
  const conversationIds = ref<number[]>([]);
  let off: (() => void) | undefined;

  const client = (): CollabClient => {
    const c = workbench.client();
    if (!c) throw new Error('offline');
    return collabOf(c);
  };

  /** Active conversations of the agents I watch, grouped by their agent (CONV-LISTS-1 监控中的对话). */
  const groups = computed(() => {
    const byAgent = new Map<number, { agentId: number; nickname: string; conversations: ConversationView[] }>();
    for (const id of conversationIds.value) {
      const c = workbench.known[id];
      if (!c || c.status !== 'active' || c.agentId == null || !watched.value.includes(c.agentId)) continue;
      const group = byAgent.get(c.agentId) ?? { agentId: c.agentId, nickname: c.agentNickname ?? `#${c.agentId}`, conversations: [] };
      group.conversations.push(c);
      byAgent.set(c.agentId, group);
    }
    return [...byAgent.values()];
  });
  const count = computed(() => groups.value.reduce((n, g) => n + g.conversations.length, 0));
  const isMonitored = (id: number) => groups.value.some((g) => g.conversations.some((c) => c.id === id));

  function add(list: ConversationView[]) {
    workbench.remember(list);
    conversationIds.value = [...new Set([...conversationIds.value, ...list.map((c) => c.id)])];
  }

  async function watch1(agentId: number) {
    const r = await client().call('monitor.start', { agentId });
    if (!watched.value.includes(agentId)) watched.value = [...watched.value, agentId];
    add(r.conversations);
  }

  async function start(agentIds: number[]) {
    for (const id of agentIds) await watch1(id);
  }

  async function stop(agentId?: number) {
    const r = await client().call('monitor.stop', agentId ? { agentId } : {});
    watched.value = watched.value.filter((id) => !r.stopped.includes(id));
  }

  async function refresh() {
    if (!session.can('conversation.monitor')) return;
    try {
      const { monitors } = await client().call('monitor.list', {});
      watched.value = monitors.map((m) => m.watchedAgentId);
      for (const m of monitors) await watch1(m.watchedAgentId);
    } catch {
      // The next reconnect reads the list again.
    }
  }

  /** Follows the workbench's socket: listens for new monitored conversations and re-reads the list on (re)connect. */
  function follow() {
    return watch(
      () => [realtime.socket, realtime.connects] as const,
      ([socket]) => {
        off?.();
        if (!socket) return;
        off = client().on('monitor.conversation', ({ conversation }) => add([conversation]));
        if (socket.connected) void refresh();
      },
      { immediate: true },
    );
  }

  return { watched, groups, count, isMonitored, start, stop, refresh, follow, client };
});
