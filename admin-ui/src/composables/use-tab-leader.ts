import { onBeforeUnmount, ref, watch, type Ref } from 'vue';

/** How often a tab says it is there, and how long a silent tab still counts. */
export const HEARTBEAT_MS = 500;
const GONE_AFTER_MS = 1600;

interface Beat {
  type: 'here' | 'bye';
  id: string;
  visible?: boolean;
}

/**
 * MAIN-TABS-6: of the tabs of one account in this browser, one is the leader that plays sounds and shows desktop
 * notifications, so an event never rings twice. Tabs announce themselves on a BroadcastChannel; the leader is a tab
 * the agent is looking at if there is one (so "already on screen" decides for the browser), else the oldest. A tab
 * that closes says bye and the others choose again at once; one that crashed is dropped after GONE_AFTER_MS.
 * Without BroadcastChannel every tab leads for itself.
 */
export function useTabLeader(account: () => number | null | undefined): Ref<boolean> {
  const leader = ref(true);
  if (typeof BroadcastChannel === 'undefined') return leader;

  // Start time first, so the oldest tab sorts first; the random part breaks ties.
  const id = `${Date.now().toString(36).padStart(10, '0')}-${Math.random().toString(36).slice(2, 10)}`;
  const others = new Map<string, { at: number; visible: boolean }>();
  let channel: BroadcastChannel | null = null;
  const visible = () => document.visibilityState === 'visible';

  const choose = () => {
    const now = Date.now();
    for (const [other, seen] of others) if (now - seen.at > GONE_AFTER_MS) others.delete(other);
    const all = [{ id, visible: visible() }, ...[...others].map(([other, seen]) => ({ id: other, visible: seen.visible }))];
    const pool = all.some((tab) => tab.visible) ? all.filter((tab) => tab.visible) : all;
    leader.value = pool.reduce((a, b) => (b.id < a.id ? b : a)).id === id;
  };
  const say = (type: Beat['type']) => channel?.postMessage({ type, id, visible: visible() } satisfies Beat);
  const beat = () => {
    say('here');
    choose();
  };

  const open = (who: number | null | undefined) => {
    close();
    if (!who) return;
    channel = new BroadcastChannel(`kefu.alerts.${who}`);
    channel.onmessage = (event: MessageEvent<Beat>) => {
      const m = event.data;
      if (!m || typeof m.id !== 'string' || m.id === id) return;
      if (m.type === 'bye') others.delete(m.id);
      else others.set(m.id, { at: Date.now(), visible: m.visible === true });
      choose();
    };
    beat();
  };
  function close() {
    say('bye');
    channel?.close();
    channel = null;
    others.clear();
    leader.value = true;
  }

  // Back from the browser's page cache: take part again.
  const reopen = (event: PageTransitionEvent) => event.persisted && open(account());
  const timer = setInterval(beat, HEARTBEAT_MS);
  document.addEventListener('visibilitychange', beat);
  window.addEventListener('pagehide', close);
  window.addEventListener('pageshow', reopen);
  watch(account, open, { immediate: true });
  onBeforeUnmount(() => {
    clearInterval(timer);
    document.removeEventListener('visibilitychange', beat);
    window.removeEventListener('pagehide', close);
    window.removeEventListener('pageshow', reopen);
    close();
  });
  return leader;
}
