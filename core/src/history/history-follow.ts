import type { DependencyContainer } from '../infra/di.ts';
import { agentClientEvents } from '../protocol/agent-events.ts';
import { SocketDispatcher } from '../plugins/socket-dispatcher.ts';
import { RealtimeNotifier } from '../realtime/realtime-notifier.ts';
import { HistoryService } from './history-service.ts';

/**
 * HISTORY-ONGOING-13 pushed, not polled: an open transcript of a running conversation has its
 * socket join the conversation's follow room, so every `message` and `conversation.updated`
 * sent to the conversation reaches it too, on any node. Who may follow is who may read it in
 * 历史对话 (HISTORY-VISIBILITY-5, or monitoring its serving agent, CONV-MONITOR-35): the same
 * query as the transcript, so a conversation out of reach is not_found.
 */
export function registerHistoryFollow(c: DependencyContainer) {
  const history = c.resolve(HistoryService);
  const notifier = c.resolve(RealtimeNotifier);
  c.resolve(SocketDispatcher).on('core', 'history.follow', {
    schema: agentClientEvents['history.follow'].payload,
    handler: async (p, caller) => {
      if (!p.on || !caller.socketId) {
        if (caller.socketId) notifier.follow(caller.socketId, p.conversationId, false);
        return { status: null };
      }
      // Throws not_found when the caller may not read it; no message is read (afterSeq past any seq).
      const { status } = await history.messagesAfter(caller.auth, p.conversationId, 2 ** 31 - 1);
      if (status !== 'ended') notifier.follow(caller.socketId, p.conversationId, true);
      return { status };
    },
  });
}
