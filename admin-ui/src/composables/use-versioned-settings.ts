import { ElMessage, ElMessageBox } from 'element-plus';
import { computed, onMounted, reactive, ref, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { isApiError } from '@/api/client';
import { errorText, fieldText } from '@/utils/error-text';

export interface Versioned<S> {
  /** 0 before the first save; a stale one answers 409 settings_changed. */
  version: number;
  settings: S;
}

/**
 * A company settings document edited as a draft and saved whole with the version read (SPEC STYLE-STORE-2):
 * the server's field problems by path (without the `settings.` prefix), `409 settings_changed` answered by
 * reloading. `saved` sees each answer, for what a save returns besides the document (a new secret).
 */
export function useVersionedSettings<S, T extends Versioned<S>>(io: {
  read: () => Promise<T>;
  write: (version: number, settings: S) => Promise<T>;
  saved?: (answer: T) => void;
}) {
  const { t } = useI18n();
  const stored = shallowRef<T | null>(null);
  const draft = ref<S | null>(null);
  const loadError = shallowRef<unknown>(null);
  const saving = ref(false);
  const problems = reactive<Record<string, string>>({});
  const general = ref<string | null>(null);

  const clone = (s: S): S => JSON.parse(JSON.stringify(s));
  const dirty = computed(() => !!stored.value && !!draft.value && JSON.stringify(stored.value.settings) !== JSON.stringify(draft.value));

  async function load() {
    loadError.value = null;
    try {
      stored.value = await io.read();
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

  async function put(settings: S): Promise<boolean> {
    if (!stored.value) return false;
    saving.value = true;
    clearProblems();
    try {
      const answer = await io.write(stored.value.version, settings);
      stored.value = answer;
      draft.value = clone(answer.settings);
      io.saved?.(answer);
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

  /** 恢复默认 (STYLE-RESET-7) after a confirmation: `settings` leaves out what the server should fill with its defaults. */
  async function restore(settings: S): Promise<boolean> {
    try {
      await ElMessageBox.confirm(t('settings.resetConfirm'), t('settings.reset'), { type: 'warning', confirmButtonText: t('settings.reset'), cancelButtonText: t('common.actions.cancel') });
    } catch {
      return false;
    }
    return put(settings);
  }

  return { stored, draft, loadError, saving, dirty, general, problem, load, save, restore };
}
