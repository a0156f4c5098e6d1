import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import { noticesApi, type Notice } from '@/api/notices';
import { useRealtimeStore } from './realtime';

const inWindow = (n: Notice, now = Date.now()) => Date.parse(n.startsAt) <= now && now < Date.parse(n.endsAt);

/**
 * The agent's notices (SPEC NOTICE-DELIVER-3, -SIGNIN-4, -LIST-6): read at sign-in and after every reconnect,
 * kept live by the `notice`, `notice.read` and `notice.withdrawn` pushes. Unread notices inside their window
 * pop up, important ones first; reading one in any tab closes its box in every tab.
 */
export const useNoticesStore = defineStore('notices', () => {
  const realtime = useRealtimeStore();
  const items = ref<Notice[]>([]);
  const loadError = shallowRef<unknown>(null);
  const loading = ref(false);

  const unread = computed(() => items.value.filter((n) => !n.readAt).length);
  const active = computed(() => items.value.filter((n) => inWindow(n)));
  const popups = computed(() =>
    active.value
      .filter((n) => !n.readAt)
      .sort((a, b) => Number(b.important) - Number(a.important) || Date.parse(b.startsAt) - Date.parse(a.startsAt)),
  );

  async function load() {
    loading.value = true;
    try {
      items.value = (await noticesApi.mine('recent')).items;
      loadError.value = null;
    } catch (error) {
      loadError.value = error;
    } finally {
      loading.value = false;
    }
  }

  function received(n: Notice) {
    items.value = [{ ...n, readAt: n.readAt ?? null }, ...items.value.filter((x) => x.id !== n.id)];
  }

  function markedRead(id: number, readAt: string) {
    items.value = items.value.map((n) => (n.id === id ? { ...n, readAt } : n));
  }

  async function read(id: number) {
    const { readAt } = await noticesApi.read(id);
    markedRead(id, readAt);
  }

  /** Follows the console's socket for the whole signed-in session. */
  function follow() {
    return watch(
      () => [realtime.socket, realtime.connects] as const,
      ([socket], before) => {
        if (!socket) return;
        if (socket !== before?.[0]) {
          socket.on('notice', (p: { notice: Notice }) => received(p.notice));
          socket.on('notice.read', (p: { noticeId: number; readAt: string }) => markedRead(p.noticeId, p.readAt));
          socket.on('notice.withdrawn', (p: { noticeId: number }) => (items.value = items.value.filter((n) => n.id !== p.noticeId)));
        }
        if (socket.connected) void load();
      },
      { immediate: true },
    );
  }

  return { items, unread, active, popups, loading, loadError, load, read, follow };
});
