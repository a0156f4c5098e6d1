import type { Socket } from 'socket.io-client';
import { onBeforeUnmount, watch } from 'vue';
import type { ExportJob } from '@/api/exports';
import { useRealtimeStore } from '@/stores/realtime';

/** `exports.updated` (HISTORY-EXPORTJOB-11): this agent's export jobs as they progress, for as long as the calling component lives. */
export function useExportUpdates(onUpdate: (job: ExportJob) => void) {
  const realtime = useRealtimeStore();
  let bound: Socket | null = null;
  const handler = (job: ExportJob) => onUpdate(job);
  const unbind = () => {
    bound?.off('exports.updated', handler);
    bound = null;
  };
  const stop = watch(
    () => realtime.socket,
    (socket) => {
      unbind();
      if (!socket) return;
      bound = socket;
      socket.on('exports.updated', handler);
    },
    { immediate: true },
  );
  onBeforeUnmount(() => {
    stop();
    unbind();
  });
}
