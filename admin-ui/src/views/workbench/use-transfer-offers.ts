import { ElNotification } from 'element-plus';
import { watch } from 'vue';
import { useI18n } from 'vue-i18n';
import type { Socket } from 'socket.io-client';
import type { PushOf } from '@kefu/core/protocol/client';
import type { collabAgentServerEvents } from '@kefu-protocol/collab-events';
import { useRealtimeStore } from '@/stores/realtime';
import { useTransferStore } from '@/stores/workbench-transfers';
import { useHelpStore, type HelpRequestView } from '@/stores/workbench-help';
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
  const help = useHelpStore();
  const play = useAlertSounds();
  let stopWatch: (() => void) | undefined;
  let stopOffers: (() => void) | undefined;
  let stopHelp: (() => void) | undefined;
  let bound: Socket | null = null;

  const onAccepted = () => ElNotification.success({ title: t('workbench.transfer.accepted'), message: '' });
  const onRejected = (p: Answered) =>
    ElNotification.warning({ title: t('workbench.transfer.rejected'), message: p.reason === 'timeout' ? t('workbench.transfer.timeout') : (p.reason ?? '') });

  // 邀请协助 (CONV-JOIN-34): the asker hears each colleague's answer.
  const onHelpAnswered = (r: HelpRequestView, accepted: boolean) =>
    accepted
      ? ElNotification.success({ title: t('workbench.help.accepted', { agent: r.agentNickname }), message: '' })
      : ElNotification.warning({
          title: t(r.reason === 'timeout' ? 'workbench.help.timeout' : 'workbench.help.rejected', { agent: r.agentNickname }),
          message: r.reason === 'timeout' ? '' : (r.reason ?? ''),
        });

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
    // A help request rings and waits in the same dialog (TOOLBAR-CHATBTNS-5).
    stopHelp = help.follow(() => {
      play('transfer');
      transfers.dialogOpen = true;
    }, onHelpAnswered);
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
    stopHelp?.();
    transfers.stop();
    help.stop();
    unbind();
  }

  return { start, stop };
}
