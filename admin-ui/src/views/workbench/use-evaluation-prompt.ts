import { ref, shallowRef } from 'vue';
import { usePreferencesStore } from '@/stores/preferences';
import type { ConversationView } from '@/stores/workbench-types';

/**
 * 对话评估 dialog (EVAL-TOOLBAR-3) for the toolbar and lists, and the automatic prompt of OTHERSET-EVALPROMPT-12:
 * a conversation entering my 等待评估 list opens it by itself unless 关闭对话评估提示 is ticked. Prompts queue up
 * behind the open dialog; a prompted dialog is not modal, so my other conversations stay usable.
 */
export function useEvaluationPrompt() {
  const prefs = usePreferencesStore();
  const evaluating = shallowRef<ConversationView | null>(null);
  const prompted = ref(false);
  const queue: ConversationView[] = [];

  function open(c: ConversationView) {
    evaluating.value = c;
    prompted.value = false;
  }

  function entered(c: ConversationView) {
    if (prefs.prefs?.chat.noEvaluationPrompt) return;
    if (evaluating.value) {
      if (evaluating.value.id !== c.id && !queue.some((q) => q.id === c.id)) queue.push(c);
      return;
    }
    evaluating.value = c;
    prompted.value = true;
  }

  function close() {
    if (prefs.prefs?.chat.noEvaluationPrompt) queue.length = 0;
    const following = queue.shift() ?? null;
    evaluating.value = following;
    prompted.value = following != null;
  }

  return { evaluating, prompted, open, entered, close };
}
