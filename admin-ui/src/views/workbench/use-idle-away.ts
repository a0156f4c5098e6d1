import { computed, onBeforeUnmount, onMounted, ref, watch } from 'vue';
import { usePreferencesStore } from '@/stores/preferences';
import { useSessionStore } from '@/stores/session';
import { useWorkbenchStore } from '@/stores/workbench';
import type { AgentStatus } from '@/stores/workbench-types';

const ACTIVITY = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;
/** Browser tests shorten the minute through this key; agents never set it. */
const minuteMs = () => Number(localStorage.getItem('kefu.idleMinuteMs')) || 60_000;

/**
 * 计算机空闲时自动将客服的状态改为离开 (OTHERSET-IDLE-9): after the agent's idle minutes without keyboard, mouse
 * or touch activity in any of their console tabs (tabs share the last activity through localStorage), 在线 or
 * 忙碌 becomes 离开 with reason idle; the next activity brings the previous status back when 恢复时自动切回 is
 * on. Invisible and offline are never touched and conversations are never ended.
 */
export function useIdleAway() {
  const prefs = usePreferencesStore();
  const store = useWorkbenchStore();
  const session = useSessionStore();
  const key = () => `kefu.activity.${session.me?.id ?? 0}`;
  let lastActivity = Date.now();
  let shared = 0;
  /** The status the idle rule replaced, while it is in force. */
  const idledFrom = ref<AgentStatus | null>(null);
  let timer: ReturnType<typeof setInterval> | undefined;

  async function resume() {
    const back = idledFrom.value;
    idledFrom.value = null;
    if (back && store.status === 'away' && (prefs.prefs?.status.idleRestore ?? true))
      await store.setPresence({ status: back, reason: 'idle' }).catch(() => undefined);
  }

  function active() {
    const now = Date.now();
    lastActivity = now;
    if (now - shared > minuteMs() / 12) {
      shared = now;
      localStorage.setItem(key(), String(now));
    }
    if (idledFrom.value) void resume();
  }

  function onStorage(e: StorageEvent) {
    if (e.key !== key()) return;
    lastActivity = Math.max(lastActivity, Number(e.newValue) || 0);
    if (idledFrom.value) void resume();
  }

  async function check() {
    const p = prefs.prefs?.status;
    if (!(p?.idleAway ?? true) || idledFrom.value || (store.status !== 'online' && store.status !== 'busy')) return;
    if (Date.now() - lastActivity < (p?.idleMinutes ?? 10) * minuteMs()) return;
    idledFrom.value = store.status;
    try {
      await store.setPresence({ status: 'away', reason: 'idle' });
    } catch {
      idledFrom.value = null;
    }
  }

  // The agent (or another tab) chose a status meanwhile: the idle rule no longer owns it.
  watch(
    () => store.status,
    (s) => {
      if (s !== 'away') idledFrom.value = null;
    },
  );

  onMounted(() => {
    for (const e of ACTIVITY) window.addEventListener(e, active, { passive: true });
    window.addEventListener('storage', onStorage);
    timer = setInterval(() => void check(), Math.min(10_000, minuteMs() / 6));
  });
  onBeforeUnmount(() => {
    for (const e of ACTIVITY) window.removeEventListener(e, active);
    window.removeEventListener('storage', onStorage);
    clearInterval(timer);
  });

  /** Away because of the idle rule (shown as 离开(空闲), INTERNAL-PRESENCE-2). */
  return { idle: computed(() => idledFrom.value != null) };
}
