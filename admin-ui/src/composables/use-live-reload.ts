import { onBeforeUnmount, watch } from 'vue';
import { useRealtimeStore } from '@/stores/realtime';
import { useSocketEvent } from './use-socket-event';

/**
 * Reloads a screen when any of the given pushes arrives, and after a reconnect
 * (pushes may have been missed). Bursts — one presence change moves several
 * rows — collapse into one reload after `delayMs`.
 */
export function useLiveReload(events: string[], reload: () => unknown, delayMs = 150) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void reload(), delayMs);
  };
  for (const e of events) useSocketEvent(e, schedule);
  watch(() => useRealtimeStore().connects, schedule);
  onBeforeUnmount(() => clearTimeout(timer));
}
