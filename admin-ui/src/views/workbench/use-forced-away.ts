import { ElNotification } from 'element-plus';
import { watch } from 'vue';
import { useI18n } from 'vue-i18n';
import type { Socket } from 'socket.io-client';
import type { PushOf } from '@kefu/core/protocol/client';
import type { agentServerEvents } from '@kefu-protocol/agent-events';
import { useRealtimeStore } from '@/stores/realtime';

type Self = PushOf<typeof agentServerEvents, 'presence.self'>;

/** TOOLBAR-FORCE-16: an admin set me to 离开; their note stays on screen until I close it. */
export function useForcedAway() {
  const { t } = useI18n();
  const realtime = useRealtimeStore();
  let stopWatch: (() => void) | undefined;
  let bound: Socket | null = null;

  const onSelf = (p: Self) => {
    if (p.reason !== 'forced') return;
    ElNotification.warning({ title: t('shell.forcedAway'), message: p.note ?? '', duration: 0, customClass: 'wb-forced-away' });
  };

  function start() {
    stopWatch = watch(
      () => realtime.socket,
      (socket) => {
        bound?.off('presence.self', onSelf);
        bound = socket;
        socket?.on('presence.self', onSelf);
      },
      { immediate: true },
    );
  }

  function stop() {
    stopWatch?.();
    bound?.off('presence.self', onSelf);
    bound = null;
  }

  return { start, stop };
}
