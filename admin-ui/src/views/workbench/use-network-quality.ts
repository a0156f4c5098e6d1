import { computed, onBeforeUnmount, onMounted, ref, watch } from 'vue';
import { useRealtimeStore } from '@/stores/realtime';
import { useWorkbenchStore } from '@/stores/workbench';

export type NetworkQuality = 'veryGood' | 'good' | 'poor' | 'disconnected';
/** Browser tests shorten the ping period through this key; agents never set it. */
const periodMs = () => Number(localStorage.getItem('kefu.pingMs')) || 10_000;
const KEEP = 5;

/**
 * 网络状态 (DISPLAY-NETWORK-4): a ping over the realtime connection every 10 s, the last 5 round trips averaged:
 * under 150 ms very good, 150–500 ms good, over 500 ms or a missed reply poor, no connection disconnected.
 */
export function useNetworkQuality() {
  const realtime = useRealtimeStore();
  const store = useWorkbenchStore();
  const samples = ref<number[]>([]);
  const missed = ref(false);
  let timer: ReturnType<typeof setInterval> | undefined;

  async function ping() {
    // Until the workbench has its client there is nothing to time (not a missed reply).
    if (realtime.state !== 'connected' || !store.client()) return;
    const started = performance.now();
    try {
      // A reply later than the period counts as missed.
      await store.call('ping', {}, periodMs());
      missed.value = false;
      samples.value = [...samples.value, Math.round(performance.now() - started)].slice(-KEEP);
    } catch {
      missed.value = true;
    }
  }

  const average = computed(() => (samples.value.length ? Math.round(samples.value.reduce((a, b) => a + b, 0) / samples.value.length) : null));
  const quality = computed<NetworkQuality>(() => {
    if (realtime.state !== 'connected') return 'disconnected';
    if (missed.value || (average.value ?? 0) > 500) return 'poor';
    return (average.value ?? 0) < 150 ? 'veryGood' : 'good';
  });

  // A new connection starts a new series.
  watch(
    () => realtime.connects,
    () => {
      samples.value = [];
      missed.value = false;
      void ping();
    },
  );

  onMounted(() => {
    void ping();
    timer = setInterval(() => void ping(), periodMs());
  });
  onBeforeUnmount(() => clearInterval(timer));

  return { quality, average };
}
