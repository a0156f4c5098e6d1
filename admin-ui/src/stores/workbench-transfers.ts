import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import type { PushOf } from '@kefu/core/protocol/client';
import type { collabAgentServerEvents } from '@kefu-protocol/collab-events';
import { useRealtimeStore } from './realtime';
import { useWorkbenchStore } from './workbench';
import { collabOf } from './workbench-types';

export type TransferOffer = PushOf<typeof collabAgentServerEvents, 'transfer.offered'>;

/**
 * 响应传送 (SPEC TOOLBAR-CHATBTNS-5, CONV-TRANSFER-30): the transfer requests offered to this agent and still
 * open. An offer leaves the list when it is answered here, or closed elsewhere (another member accepted it,
 * the sender withdrew it, it timed out).
 */
export const useTransferStore = defineStore('workbench-transfers', () => {
  const realtime = useRealtimeStore();
  const workbench = useWorkbenchStore();
  const offers = ref<TransferOffer[]>([]);
  /** The 响应传送 dialog: opened by a new offer and by the toolbar button. */
  const dialogOpen = ref(false);
  let off: (() => void)[] = [];

  const drop = (transferId: number) => (offers.value = offers.value.filter((o) => o.transfer.id !== transferId));

  async function respond(offer: TransferOffer, accept: boolean, reason?: string) {
    const c = workbench.client();
    if (!c) throw new Error('offline');
    const r = await collabOf(c).call('transfer.respond', { transferId: offer.transfer.id, accept, reason });
    drop(offer.transfer.id);
    if (r.conversation) {
      workbench.remember([r.conversation]);
      workbench.select(r.conversation.id);
    }
  }

  /** Follows the workbench's socket; `offered` runs for each new offer (sound, dialog). */
  function follow(offered: (offer: TransferOffer) => void) {
    return watch(
      () => realtime.socket,
      () => {
        off.forEach((f) => f());
        const c = workbench.client();
        if (!c) return;
        const collab = collabOf(c);
        off = [
          collab.on('transfer.offered', (p) => {
            offers.value = [...offers.value.filter((o) => o.transfer.id !== p.transfer.id), p];
            offered(p);
          }),
          collab.on('transfer.closed', ({ transfer }) => drop(transfer.id)),
        ];
      },
      { immediate: true },
    );
  }

  function stop() {
    off.forEach((f) => f());
    off = [];
  }

  return { offers, dialogOpen, respond, drop, follow, stop };
});
