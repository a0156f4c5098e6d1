import { useWorkbenchStore } from '@/stores/workbench';

/**
 * 切换到下一对话 (OTHERSET-SWITCH-6): the next of my active conversations after the open one, wrapping round,
 * those with an unanswered visitor message first. Drafts stay with their conversation (drafts.ts).
 */
export function useConversationSwitch() {
  const store = useWorkbenchStore();
  /** Unread, or the last loaded message is the visitor's: nobody has answered it yet. */
  const unanswered = (id: number) => (store.unread[id] ?? 0) > 0 || store.messages[id]?.at(-1)?.senderKind === 'visitor';

  /** `unansweredOnly`: after sending, move only if some conversation waits for an answer. */
  function next(unansweredOnly = false): boolean {
    return step(store.mine, unansweredOnly ? 'only' : 'first');
  }

  /** 上一对话 (OTHERSET-SHORTCUTS-7): simply the one before, wrapping round. */
  function previous(): boolean {
    return step([...store.mine].reverse(), 'plain');
  }

  /** `first`: unanswered ones first; `only`: none else; `plain`: the adjacent one. */
  function step(list: typeof store.mine, preference: 'first' | 'only' | 'plain'): boolean {
    const start = list.findIndex((c) => c.id === store.selectedId);
    const order = list.map((_, i) => list[(start + 1 + i) % list.length]).filter((c) => c.id !== store.selectedId);
    const waiting = preference === 'plain' ? undefined : order.find((c) => unanswered(c.id));
    const target = waiting ?? (preference === 'only' ? undefined : order[0]);
    if (target) store.select(target.id);
    return target != null;
  }

  return { next, previous };
}
