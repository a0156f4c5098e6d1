import { ElMessage } from 'element-plus';
import { onMounted, ref } from 'vue';

/**
 * A list screen's error line, its load on mount, and `act`: run a change, say 已保存 or show why not,
 * then load again so the list shows what the server now holds.
 */
export function useListScreen(fetch: () => Promise<void>, i18n: { t: (key: string) => string; errorText: (e: unknown) => string }) {
  const error = ref<string | null>(null);
  async function load() {
    try {
      await fetch();
    } catch (e) {
      error.value = i18n.errorText(e);
    }
  }
  async function act(fn: () => Promise<unknown>) {
    error.value = null;
    try {
      await fn();
      ElMessage.success(i18n.t('robot.entries.saved'));
    } catch (e) {
      error.value = i18n.errorText(e);
    }
    await load();
  }
  onMounted(load);
  return { error, load, act };
}
