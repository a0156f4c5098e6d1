import { onBeforeUnmount, ref } from 'vue';

/** Seconds left before something may be tried again (e.g. after `429 rate_limited`). */
export function useCountdown() {
  const remaining = ref(0);
  let timer: ReturnType<typeof setInterval> | undefined;

  function stop() {
    clearInterval(timer);
    timer = undefined;
    remaining.value = 0;
  }

  function start(seconds: number) {
    stop();
    remaining.value = Math.max(0, Math.ceil(seconds));
    if (remaining.value === 0) return;
    timer = setInterval(() => {
      remaining.value -= 1;
      if (remaining.value <= 0) stop();
    }, 1000);
  }

  onBeforeUnmount(stop);
  return { remaining, start, stop };
}
