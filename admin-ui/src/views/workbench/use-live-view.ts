import { ref } from 'vue';
import { usePreferencesStore } from '@/stores/preferences';

/** The agent's choice per conversation; absent: the personal default applies. Shared by the whole workbench. */
const chosen = ref<Record<number, boolean>>({});

/**
 * 实时查看 live view per conversation (CONV-LIVEVIEW-21, OTHERSET-LIVEVIEW-11): when a conversation is connected
 * it is switched on or off as the personal setting 接通后自动开启实时查看 says (default on); the chat pane's
 * toggle changes it per conversation. Off, the pane shows only that the visitor is typing, never the draft.
 */
export function useLiveView() {
  const prefs = usePreferencesStore();
  const byDefault = () => prefs.prefs?.chat.liveViewOnConnect ?? true;

  return {
    isOn: (id: number) => chosen.value[id] ?? byDefault(),
    toggle(id: number) {
      chosen.value[id] = !(chosen.value[id] ?? byDefault());
    },
    /** A conversation was just connected to me: the setting of that moment decides. */
    connected(id: number) {
      chosen.value[id] = byDefault();
    },
  };
}
