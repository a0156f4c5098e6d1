import { ElMessage, ElMessageBox } from 'element-plus';
import { computed, onMounted, reactive, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { isApiError } from '@/api/client';
import { settingsApi, type StoredWidgetSettings, type WidgetSettings } from '@/api/settings';
import { errorText, fieldText } from '@/utils/error-text';

type Section = keyof WidgetSettings;

/**
 * One settings screen's view of the company's widget settings document (SPEC STYLE-STORE-2): a draft the
 * form edits, saved whole with the version read, the server's field problems by path (without the
 * `settings.` prefix), `409 settings_changed` answered by reloading, and 恢复默认 (STYLE-RESET-7) for the
 * sections the screen owns.
 */
export function useWidgetSettings(sections: Section[]) {
  const { t } = useI18n();
  const stored = shallowRef<StoredWidgetSettings | null>(null);
  const draft = ref<WidgetSettings | null>(null);
  const loadError = shallowRef<unknown>(null);
  const saving = ref(false);
  const problems = reactive<Record<string, string>>({});
  const general = ref<string | null>(null);

  const clone = (s: WidgetSettings): WidgetSettings => JSON.parse(JSON.stringify(s));
  const dirty = computed(() => !!stored.value && !!draft.value && JSON.stringify(stored.value.settings) !== JSON.stringify(draft.value));

  async function load() {
    loadError.value = null;
    try {
      stored.value = await settingsApi.widget();
      draft.value = clone(stored.value.settings);
    } catch (error) {
      loadError.value = error;
    }
  }
  onMounted(load);

  function clearProblems() {
    for (const key of Object.keys(problems)) delete problems[key];
    general.value = null;
  }

  /** The message for a field, or for anything below it (`fields` shows `fields.name.required`'s problem). */
  const problem = (path: string) => problems[path] ?? Object.entries(problems).find(([p]) => p.startsWith(`${path}.`))?.[1];

  async function put(settings: WidgetSettings): Promise<boolean> {
    if (!stored.value) return false;
    saving.value = true;
    clearProblems();
    try {
      stored.value = await settingsApi.saveWidget(stored.value.version, settings);
      draft.value = clone(stored.value.settings);
      ElMessage.success(t('common.states.saved'));
      return true;
    } catch (error) {
      if (isApiError(error) && error.code === 'settings_changed') {
        ElMessage.warning(t('settings.changedElsewhere'));
        await load();
      } else if (isApiError(error) && error.fields?.length) {
        for (const f of error.fields) problems[f.path.replace(/^settings\./, '')] = fieldText(f);
        general.value = t('settings.fixFields');
      } else general.value = errorText(error);
      return false;
    } finally {
      saving.value = false;
    }
  }

  const save = () => (draft.value ? put(draft.value) : Promise.resolve(false));

  /** Saves this screen's sections with the built-in defaults: the server fills a section left out. */
  async function restoreDefaults() {
    if (!draft.value) return;
    try {
      await ElMessageBox.confirm(t('settings.resetConfirm'), t('settings.reset'), { type: 'warning', confirmButtonText: t('settings.reset'), cancelButtonText: t('common.actions.cancel') });
    } catch {
      return;
    }
    const next = clone(draft.value) as Partial<WidgetSettings>;
    for (const s of sections) delete next[s];
    await put(next as WidgetSettings);
  }

  return { stored, draft, loadError, saving, dirty, general, problem, load, save, restoreDefaults };
}
