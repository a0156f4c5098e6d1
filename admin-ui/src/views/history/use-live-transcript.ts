import { onBeforeUnmount, watch } from 'vue';
import { agentClient } from '@kefu/core/protocol/client';
import { useSocketEvent } from '@/composables/use-socket-event';
import { useRealtimeStore } from '@/stores/realtime';
import { followedTranscripts } from '@/stores/followed-transcripts';
import type { MessageView } from '@/stores/workbench-types';

interface Follower {
  /** The seq of the last message shown: what a catch-up asks after. */
  lastSeq(): number;
  /** New messages, in seq order, none shown yet. */
  append(messages: MessageView[]): void;
  /** It ended (or the server said so): the caller reloads it whole. */
  ended(): void;
}

/**
 * HISTORY-ONGOING-13 over the `/agent` socket: while a running conversation's transcript is
 * open, its socket follows the conversation (the server checks the viewer may read it) and
 * gets each new message as it is stored; after a (re)connect it follows again and catches up
 * by seq over HTTP, so nothing is lost or shown twice.
 */
export function useLiveTranscript(catchUp: (id: number, afterSeq: number) => Promise<{ status: string; messages: MessageView[] }>, f: Follower) {
  const realtime = useRealtimeStore();
  let following: number | null = null;

  const take = (id: number, list: MessageView[]) => {
    if (following !== id) return;
    const fresh = list.filter((m) => m.seq > f.lastSeq()).sort((a, b) => a.seq - b.seq);
    if (fresh.length) f.append(fresh);
  };

  async function join(id: number) {
    const socket = realtime.socket;
    if (!socket?.connected) return; // The next connect joins.
    try {
      const r = await agentClient(socket).call('history.follow', { conversationId: id, on: true });
      if (following !== id) return;
      if (r.status === 'ended') return f.ended();
      // What came between the transcript's load (or the last connect) and the join.
      const missed = await catchUp(id, f.lastSeq());
      if (missed.status === 'ended') return f.ended();
      take(id, missed.messages);
    } catch {
      // Not readable any more, or the link dropped: the next connect tries again.
    }
  }

  function start(id: number) {
    stop();
    following = id;
    followedTranscripts.add(id);
    void join(id);
  }

  function stop() {
    const id = following;
    if (id === null) return;
    following = null;
    followedTranscripts.delete(id);
    const socket = realtime.socket;
    if (socket?.connected) void agentClient(socket).call('history.follow', { conversationId: id, on: false }).catch(() => undefined);
  }

  useSocketEvent<{ message: MessageView }>('message', ({ message }) => take(message.conversationId, [message]));
  useSocketEvent<{ conversation: { id: number; status: string } }>('conversation.updated', ({ conversation }) => {
    if (conversation.id === following && conversation.status === 'ended') f.ended();
  });
  watch(
    () => realtime.connects,
    () => following !== null && void join(following),
  );
  onBeforeUnmount(stop);
  return { start, stop };
}
