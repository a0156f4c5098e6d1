import { onBeforeUnmount, watch } from 'vue';
import type { Socket } from 'socket.io-client';
import { useRealtimeStore } from '@/stores/realtime';

/** Listens to one `/agent` push while the component lives, across reconnects and sign-ins (the socket object changes). */
export function useSocketEvent<T>(event: string, handler: (payload: T) => void) {
  const realtime = useRealtimeStore();
  let attached: Socket | null = null;
  const detach = () => {
    attached?.off(event, handler);
    attached = null;
  };
  watch(
    () => realtime.socket,
    (socket) => {
      detach();
      if (!socket) return;
      socket.on(event, handler);
      attached = socket;
    },
    { immediate: true },
  );
  onBeforeUnmount(detach);
}
