import { settingsApi, type WidgetSettings } from '@/api/settings';
import { useVersionedSettings } from '@/composables/use-versioned-settings';

type Section = keyof WidgetSettings;

/**
 * One settings screen's view of the company's widget settings document (SPEC STYLE-STORE-2), with
 * 恢复默认 (STYLE-RESET-7) for the sections the screen owns.
 */
export function useWidgetSettings(sections: Section[]) {
  const s = useVersionedSettings({ read: settingsApi.widget, write: settingsApi.saveWidget });

  /** Saves this screen's sections with the built-in defaults: the server fills a section left out. */
  async function restoreDefaults() {
    if (!s.draft.value) return;
    const next = JSON.parse(JSON.stringify(s.draft.value)) as Partial<WidgetSettings>;
    for (const section of sections) delete next[section];
    await s.restore(next as WidgetSettings);
  }

  return { ...s, restoreDefaults };
}
