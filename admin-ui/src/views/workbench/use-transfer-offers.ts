import { ElNotification } from 'element-plus';
import { watch } from 'vue';
import { useI18n } from 'vue-i18n';
import type { Socket } from 'socket.io-client';
import type { PushOf } from '@kefu/core/protocol/client';
import type { collabAgentServerEvents } from '@kefu-protocol/collab-events';
import { useRealtimeStore } from '@/stores/realtime';
import { useTransferStore } from '@/stores/workbench-transfers';
import { useAlertSounds } from './use-alert-sounds';

type Answered = PushOf<typeof collabAgentServerEvents, 'transfer.rejected'>;

/**
 * 响应传送 (CONV-TRANSFER-30): an offered transfer rings and opens the 响应传送 dialog, where it waits with the
 * others until answered; the sender hears the outcome.
 */
export function useTransferOffers() {
  const { t } = useI18n();
  const realtime = useRealtimeStore();
  const transfers = useTransferStore();
  const play = useAlertSounds();
  let stopWatch: (() => void) | undefined;
  let stopOffers: (() => void) | undefined;
  let bound: Socket | null = null;

  const onAccepted = () => ElNotification.success({ title: t('workbench.transfer.accepted'), message: '' });
  const onRejected = (p: Answered) =>
    ElNotification.warning({ title: t('workbench.transfer.rejected'), message: p.reason === 'timeout' ? t('workbench.transfer.timeout') : (p.reason ?? '') });

  function unbind() {
    bound?.off('transfer.accepted', onAccepted);
    bound?.off('transfer.rejected', onRejected);
    bound = null;
  }

  /** After the workbench store started, so the offers follow its client. */
  function start() {
    stopOffers = transfers.follow(() => {
      play('transfer');
      transfers.dialogOpen = true;
    });
    stopWatch = watch(
      () => realtime.socket,
      (socket) => {
        unbind();
        if (!socket) return;
        bound = socket;
        socket.on('transfer.accepted', onAccepted);
        socket.on('transfer.rejected', onRejected);
      },
      { immediate: true },
    );
  }

  function stop() {
    stopWatch?.();
    stopOffers?.();
    transfers.stop();
    unbind();
  }

  return { start, stop };
}
