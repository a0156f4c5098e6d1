import { defineStore } from 'pinia';
import { ref, shallowRef, watch } from 'vue';
import { preferencesApi, type PreferenceSection, type Preferences, type PreferencesPatch, type PreferencesView } from '@/api/preferences';
import { useRealtimeStore } from './realtime';

/**
 * The agent's personal settings (SPEC DISPLAY-SETTINGS-1): read from the server, changed there, and kept in step
 * across tabs by `preferences.changed`. Until loaded, screens use `null` and their own defaults.
 */
export const usePreferencesStore = defineStore('preferences', () => {
  const realtime = useRealtimeStore();
  const prefs = shallowRef<Preferences | null>(null);
  const version = ref(0);
  let loading: Promise<void> | null = null;

  function apply(v: PreferencesView) {
    // A push may overtake the answer of an older request; the higher version wins.
    if (v.version < version.value) return;
    prefs.value = v.preferences;
    version.value = v.version;
  }

  function load() {
    loading ??= preferencesApi
      .get()
      .then(apply)
      .finally(() => (loading = null));
    return loading;
  }

  async function patch(p: PreferencesPatch) {
    apply(await preferencesApi.patch(p));
  }

  async function reset(section: PreferenceSection) {
    apply(await preferencesApi.reset(section));
  }

  watch(
    () => realtime.socket,
    (socket, before) => {
      before?.off('preferences.changed', apply);
      socket?.on('preferences.changed', apply);
    },
    { immediate: true },
  );

  return { prefs, version, load, patch, reset };
});
