import { reactive, ref } from 'vue';
import { isApiError } from '@/api/client';
import { errorText, fieldText } from '@/utils/error-text';

/**
 * Server refusals of a form: field problems beside their fields (`fields[path]`), the rest above the form.
 * `codeFields` places field-less codes on a field (e.g. `agent_id_taken` → `agentId`).
 */
export function useFormErrors(codeFields: Record<string, string> = {}) {
  const fields = reactive<Record<string, string>>({});
  const general = ref<string | null>(null);

  function clear(): void {
    for (const key of Object.keys(fields)) delete fields[key];
    general.value = null;
  }

  function clearField(key: string): void {
    delete fields[key];
  }

  /**
   * Shows `error`. A field path is placed on the longest known field it starts with
   * (`permissions.3` → `permissions`); problems with no such field are listed above the form.
   */
  function show(error: unknown, known: readonly string[] = []): void {
    clear();
    if (!isApiError(error)) {
      general.value = errorText(error);
      return;
    }
    const placedByCode = codeFields[error.code];
    if (placedByCode) {
      fields[placedByCode] = errorText(error);
      return;
    }
    if (!error.fields?.length) {
      general.value = errorText(error);
      return;
    }
    const unplaced: string[] = [];
    for (const problem of error.fields) {
      const key = [...known]
        .sort((a, b) => b.length - a.length)
        .find((name) => problem.path === name || problem.path.startsWith(`${name}.`) || problem.path.startsWith(`${name}[`));
      if (key) fields[key] ??= fieldText(problem);
      else unplaced.push(problem.path ? `${problem.path}: ${fieldText(problem)}` : fieldText(problem));
    }
    general.value = unplaced.length ? [errorText(error), ...unplaced].join(' ') : null;
  }

  return { fields, general, clear, clearField, show };
}
