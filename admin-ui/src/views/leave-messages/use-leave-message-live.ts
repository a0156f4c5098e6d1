import type { Socket } from 'socket.io-client';
import { onBeforeUnmount, watch } from 'vue';
import { useRealtimeStore } from '@/stores/realtime';

export interface LeaveMessagesChanged {
  ids: number[];
  change: 'created' | 'updated' | 'deleted' | 'replying';
  by: number | null;
  handlerId?: number;
}

/** `leaveMessages.changed` and `leaveMessages.replyFailed` (LEAVEMSG-LIVE-16) for as long as the calling component lives. */
export function useLeaveMessageLive(handlers: { changed: (e: LeaveMessagesChanged) => void; replyFailed?: (e: { id: number }) => void }) {
  const realtime = useRealtimeStore();
  let bound: Socket | null = null;
  const onChanged = (e: LeaveMessagesChanged) => handlers.changed(e);
  const onFailed = (e: { id: number }) => handlers.replyFailed?.(e);
  const unbind = () => {
    bound?.off('leaveMessages.changed', onChanged);
    bound?.off('leaveMessages.replyFailed', onFailed);
    bound = null;
  };
  const stop = watch(
    () => realtime.socket,
    (socket) => {
      unbind();
      if (!socket) return;
      bound = socket;
      socket.on('leaveMessages.changed', onChanged);
      socket.on('leaveMessages.replyFailed', onFailed);
    },
    { immediate: true },
  );
  onBeforeUnmount(() => {
    stop();
    unbind();
  });
}
