import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import type { Socket } from 'socket.io-client';
import { agentClient } from '@kefu/core/protocol/client';
import { useRealtimeStore } from './realtime';
import type { AgentStatus } from './workbench-types';

type Self = { status?: AgentStatus; autoAccept?: boolean };

/**
 * The agent's own status and automatic accept (TOOLBAR-STATUS-8), on every screen: the header's switch and the
 * workbench read and change the same state. Kept by `presence.self` pushes (another tab, the system) and read
 * again after every reconnect; a reading older than a push already applied is dropped (MAIN-LIVE-5 stamps).
 */
export const usePresenceStore = defineStore('presence', () => {
  const realtime = useRealtimeStore();
  const status = ref<AgentStatus>('online');
  const autoAccept = ref(true);
  const known = ref(false);
  let newest = 0;

  /** `at`: server ms of the reading or push; undefined for the answer to this console's own change. */
  function apply(p: Self, at?: number) {
    if (at !== undefined) {
      if (at < newest) return;
      newest = at;
    }
    if (p.status) status.value = p.status;
    if (typeof p.autoAccept === 'boolean') autoAccept.value = p.autoAccept;
    known.value = true;
  }

  function client() {
    if (!realtime.socket) throw new Error('offline');
    return agentClient(realtime.socket);
  }

  /** `reason` idle: changed by the idle rule (OTHERSET-IDLE-9), so the status log says 空闲. */
  async function set(next: { status?: AgentStatus; autoAccept?: boolean; reason?: 'manual' | 'idle' }) {
    const r = await client().call('presence.set', {
      status: next.status ?? status.value,
      autoAccept: next.autoAccept ?? autoAccept.value,
      reason: next.reason ?? 'manual',
    });
    apply(r);
  }

  /** Follows the console's socket for the whole signed-in session. */
  function follow() {
    let bound: Socket | null = null;
    let off = () => {};
    const stop = watch(
      () => [realtime.socket, realtime.connects] as const,
      async ([socket]) => {
        if (!socket) return;
        if (bound !== socket) {
          off();
          bound = socket;
          off = agentClient(socket).on('presence.self', (p) => apply(p, p.at));
        }
        if (!socket.connected) return;
        try {
          const r = await agentClient(socket).call('presence.get', {});
          apply(r, r.version);
        } catch {
          // Read again on the next reconnect; pushes keep it current meanwhile.
        }
      },
      { immediate: true },
    );
    return () => {
      stop();
      off();
    };
  }

  return { status, autoAccept, known, apply, set, follow };
});
