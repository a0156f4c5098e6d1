import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import type { PushOf } from '@kefu/core/protocol/client';
import type { collabAgentServerEvents, HelpRequestView } from '@kefu-protocol/collab-events';
import { useRealtimeStore } from './realtime';
import { useWorkbenchStore } from './workbench';
import { collabOf, type ConversationView } from './workbench-types';

export type HelpOffer = PushOf<typeof collabAgentServerEvents, 'help.offered'>;
export type { HelpRequestView };

/**
 * 邀请协助 (SPEC CONV-JOIN-34) on the console: the help requests offered to me (shown in 响应传送 with the
 * transfer requests, TOOLBAR-CHATBTNS-5), the chats I help in (marked 协助 in my list), and each open chat's
 * helpers. After every (re)connect `help.list` reloads both lists and puts my sockets back in those rooms.
 */
export const useHelpStore = defineStore('workbench-help', () => {
  const realtime = useRealtimeStore();
  const workbench = useWorkbenchStore();
  const offers = ref<HelpOffer[]>([]);
  const helping = ref<ConversationView[]>([]);
  /** Open requests and helpers per conversation, as the room last heard them. */
  const members = ref<Record<number, HelpRequestView[]>>({});
  let off: (() => void)[] = [];

  const client = () => {
    const c = workbench.client();
    if (!c) throw new Error('offline');
    return collabOf(c);
  };
  const drop = (requestId: number) => (offers.value = offers.value.filter((o) => o.request.id !== requestId));
  const isHelping = (conversationId: number) => helping.value.some((c) => c.id === conversationId);

  async function reload() {
    const r = await client().call('help.list', {});
    workbench.remember(r.helping);
    helping.value = r.helping;
    offers.value = r.offers;
  }

  async function invite(conversationId: number, agentIds: number[], note?: string) {
    const r = await client().call('help.invite', { conversationId, agentIds, note });
    return r.requests;
  }

  async function respond(offer: HelpOffer, accept: boolean, reason?: string) {
    const r = await client().call('help.respond', { requestId: offer.request.id, accept, reason });
    drop(offer.request.id);
    if (r.conversation) {
      workbench.remember([r.conversation]);
      helping.value = [...helping.value.filter((c) => c.id !== r.conversation!.id), r.conversation];
      workbench.select(r.conversation.id);
    }
  }

  async function leave(conversationId: number) {
    await client().call('help.leave', { conversationId });
    helping.value = helping.value.filter((c) => c.id !== conversationId);
  }

  async function loadMembers(conversationId: number) {
    const r = await client().call('help.members', { conversationId });
    members.value = { ...members.value, [conversationId]: r.requests };
  }

  /** Follows the workbench's socket; `offered` runs for each new request (sound, dialog), `left` when I am sent out. */
  function follow(offered: (offer: HelpOffer) => void, answered: (request: HelpRequestView, accepted: boolean) => void) {
    return watch(
      () => realtime.socket,
      () => {
        off.forEach((f) => f());
        off = [];
        const c = workbench.client();
        if (!c) return;
        const collab = collabOf(c);
        off = [
          collab.on('help.offered', (p) => {
            offers.value = [...offers.value.filter((o) => o.request.id !== p.request.id), p];
            offered(p);
          }),
          collab.on('help.closed', ({ request }) => {
            drop(request.id);
            if (request.status === 'left') helping.value = helping.value.filter((h) => h.id !== request.conversationId);
          }),
          collab.on('help.changed', (p) => (members.value = { ...members.value, [p.conversationId]: p.requests })),
          collab.on('help.accepted', ({ request }) => answered(request, true)),
          collab.on('help.rejected', ({ request }) => answered(request, false)),
        ];
        // A reconnect starts with no rooms on the server: the list puts them back.
        const again = () => void reload().catch(() => undefined);
        c.socket.on('connect', again);
        off.push(() => void c.socket.off('connect', again));
        if (c.socket.connected) again();
      },
      { immediate: true },
    );
  }

  function stop() {
    off.forEach((f) => f());
    off = [];
  }

  return { offers, helping, members, isHelping, invite, respond, leave, loadMembers, reload, drop, follow, stop };
});
