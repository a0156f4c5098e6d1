import { computed, onBeforeUnmount, ref, watch } from 'vue';
import { useInternalChatStore } from '@/stores/internal-chat';
import { useNoticesStore } from '@/stores/notices';
import { useWorkbenchStore } from '@/stores/workbench';
import { titleBadge } from './use-document-title';

/** How often the hidden tab's title flips between "【N】…" and the plain title. */
export const BLINK_MS = 1000;

/**
 * MAIN-EVENTS-4: while the tab is hidden and something waits for the agent — a visitor in the queue,
 * unread visitor messages, unread internal messages or notices — the title blinks "【N】", so the
 * taskbar shows it; coming back to the tab stops it (the events themselves stay until handled).
 */
export function useTitleBlink(): void {
  const workbench = useWorkbenchStore();
  const internal = useInternalChatStore();
  const notices = useNoticesStore();
  const pending = computed(() => workbench.waiting.length + workbench.totalUnread + internal.total + notices.unread);
  const hidden = ref(document.hidden);
  const onVisibility = () => (hidden.value = document.hidden);
  document.addEventListener('visibilitychange', onVisibility);

  let timer: ReturnType<typeof setInterval> | undefined;
  const stop = () => {
    clearInterval(timer);
    timer = undefined;
    titleBadge.value = '';
  };
  watch(
    [hidden, pending],
    ([isHidden, count]) => {
      if (!isHidden || count <= 0) return stop();
      const badge = `【${count}】`;
      if (!timer) timer = setInterval(() => (titleBadge.value = titleBadge.value ? '' : badge), BLINK_MS);
      // A new count shows at once rather than on the next flip.
      titleBadge.value = badge;
    },
    { immediate: true },
  );
  onBeforeUnmount(() => {
    stop();
    document.removeEventListener('visibilitychange', onVisibility);
  });
}
