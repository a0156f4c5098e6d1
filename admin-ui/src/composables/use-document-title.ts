import { ref, watchEffect } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRoute } from 'vue-router';
import { pickText } from '@/i18n/locales';

/** A prefix such as "【3】" that use-title-blink sets while events wait in a hidden tab. */
export const titleBadge = ref('');
/** The agent's own status, e.g. "● 在线 | ", set by the workbench's status indicator (MAIN-INDICATOR-3). */
export const titleStatus = ref('');

/** "<screen> · Kefu" in the console language, following the route and the language switch. */
export function useDocumentTitle(): void {
  const route = useRoute();
  const { t, locale } = useI18n();
  watchEffect(() => {
    const { titleKey, title } = route.meta;
    const screen = title ? pickText(title, locale.value) : titleKey ? t(titleKey) : '';
    const app = t('common.appName');
    document.title = titleBadge.value + titleStatus.value + (screen ? `${screen} · ${app}` : app);
  });
}
