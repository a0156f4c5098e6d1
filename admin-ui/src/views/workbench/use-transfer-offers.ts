import { ElMessageBox, ElNotification } from 'element-plus';
import { watch } from 'vue';
import { useI18n } from 'vue-i18n';
import type { Socket } from 'socket.io-client';
import type { PushOf } from '@kefu/core/protocol/client';
import type { collabAgentServerEvents } from '@kefu-protocol/collab-events';
import { useRealtimeStore } from '@/stores/realtime';
import { useWorkbenchStore } from '@/stores/workbench';
import { useAlertSounds } from './use-alert-sounds';
import { useWorkbenchActions } from './use-actions';

type Offered = PushOf<typeof collabAgentServerEvents, 'transfer.offered'>;
type Answered = PushOf<typeof collabAgentServerEvents, 'transfer.rejected'>;

/** 响应传送 (CONV-TRANSFER-30): an offered transfer asks the agent to accept or reject it; the sender hears the outcome. */
export function useTransferOffers() {
  const { t } = useI18n();
  const realtime = useRealtimeStore();
  const store = useWorkbenchStore();
  const actions = useWorkbenchActions();
  const play = useAlertSounds();
  let stopWatch: (() => void) | undefined;
  let bound: Socket | null = null;

  async function onOffered(p: Offered) {
    play('transfer');
    const who = p.conversation.visitorName || t('workbench.visitorNo', { n: p.conversation.visitorNumber });
    const text = t('workbench.transfer.offered', { from: p.from.nickname, visitor: who }) + (p.transfer.note ? `\n${p.transfer.note}` : '');
    let accept: boolean;
    try {
      await ElMessageBox.confirm(text, t('workbench.transfer.respondTitle'), {
        confirmButtonText: t('workbench.transfer.accept'),
        cancelButtonText: t('workbench.transfer.reject'),
        distinguishCancelAndClose: true,
      });
      accept = true;
    } catch (action) {
      if (action !== 'cancel') return;
      accept = false;
    }
    await actions.attempt(async () => {
      const r = await actions.collab().call('transfer.respond', { transferId: p.transfer.id, accept });
      if (r.conversation) {
        store.remember([r.conversation]);
        store.select(r.conversation.id);
      }
    });
  }

  const onAccepted = () => ElNotification.success({ title: t('workbench.transfer.accepted'), message: '' });
  const onRejected = (p: Answered) =>
    ElNotification.warning({ title: t('workbench.transfer.rejected'), message: p.reason === 'timeout' ? t('workbench.transfer.timeout') : (p.reason ?? '') });

  function unbind() {
    bound?.off('transfer.offered', onOffered);
    bound?.off('transfer.accepted', onAccepted);
    bound?.off('transfer.rejected', onRejected);
    bound = null;
  }

  function start() {
    stopWatch = watch(
      () => realtime.socket,
      (socket) => {
        unbind();
        if (!socket) return;
        bound = socket;
        socket.on('transfer.offered', onOffered);
        socket.on('transfer.accepted', onAccepted);
        socket.on('transfer.rejected', onRejected);
      },
      { immediate: true },
    );
  }

  function stop() {
    stopWatch?.();
    unbind();
  }

  return { start, stop };
}
