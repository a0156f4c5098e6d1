import { ref } from 'vue';
import { usePreferencesStore } from '@/stores/preferences';
import { useWorkbenchStore } from '@/stores/workbench';

/** The agent's choice per conversation; absent: the personal default applies. Shared by the whole workbench. */
const chosen = ref<Record<number, boolean>>({});
/** The company switched 允许实时查看 off: the server answered `on: false` to a request to switch it on. */
const disallowed = ref(false);
/** When each conversation's visitor window was last told, so a reloaded window is told again without flooding it. */
const told = new Map<number, number>();
const RETELL_MS = 5_000;

/**
 * 实时查看 live view per conversation (CONV-LIVEVIEW-21, OTHERSET-LIVEVIEW-11): when a conversation is connected
 * it is switched on or off as the personal setting 接通后自动开启实时查看 says (default on); the chat toolbar's
 * toggle changes it per conversation. The server tells the visitor's window whether to send the unsent input
 * (`liveview.set`); off, or with the company setting off, the pane shows only that the visitor is typing.
 */
export function useLiveView() {
  const prefs = usePreferencesStore();
  const store = useWorkbenchStore();
  const byDefault = () => prefs.prefs?.chat.liveViewOnConnect ?? true;
  const isOn = (id: number) => chosen.value[id] ?? byDefault();

  async function tell(id: number) {
    told.set(id, Date.now());
    try {
      const r = await store.call('liveview.set', { conversationId: id, on: isOn(id) });
      if (isOn(id)) disallowed.value = !r.on;
    } catch {
      // Not served by me any more, or offline: the next signal tells it again.
      told.delete(id);
    }
  }

  return {
    isOn,
    disallowed,
    toggle(id: number) {
      chosen.value[id] = !isOn(id);
      void tell(id);
    },
    /** A conversation was just connected to me: the setting of that moment decides. */
    connected(id: number) {
      chosen.value[id] = byDefault();
      void tell(id);
    },
    /** The window sent only the signal although live view is on (a reloaded page forgets): tell it again. */
    remind(id: number) {
      if (isOn(id) && Date.now() - (told.get(id) ?? 0) > RETELL_MS) void tell(id);
    },
  };
}
