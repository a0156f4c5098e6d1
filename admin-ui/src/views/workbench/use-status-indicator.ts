import { computed, onBeforeUnmount, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { titleStatus } from '@/composables/use-document-title';
import { useRealtimeStore } from '@/stores/realtime';
import { useWorkbenchStore } from '@/stores/workbench';
import { STATUS_SYMBOL, statusIconUrl, type ShownStatus } from './status-icon';

/**
 * MAIN-INDICATOR-3 (the desktop client's tray icon): while the workbench follows the agent's status, the tab's
 * favicon and a title prefix show it by shape and in words. `presence.self` reaches every tab of the agent, so all
 * change together; leaving the workbench puts back the plain icon and title.
 */
export function useStatusIndicator(): void {
  const { t } = useI18n();
  const shown = useShownStatus();

  const link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  const original = link?.getAttribute('href') ?? '/favicon.svg';
  const setIcon = (href: string) => link?.setAttribute('href', href);

  watch(
    [shown, () => t('common.appName')],
    ([status]) => {
      if (!status) {
        setIcon(original);
        titleStatus.value = '';
        return;
      }
      setIcon(statusIconUrl(status));
      titleStatus.value = `${STATUS_SYMBOL[status]} ${t(`workbench.status.${status}`)} | `;
    },
    { immediate: true },
  );
  onBeforeUnmount(() => {
    setIcon(original);
    titleStatus.value = '';
  });
}

/** The status the indicator shows: null until the workbench knows it (its first snapshot), offline while the link is down. */
export function useShownStatus() {
  const store = useWorkbenchStore();
  const realtime = useRealtimeStore();
  return computed<ShownStatus | null>(() => {
    if (store.snapshotState !== 'ready') return null;
    return realtime.state === 'connected' ? store.status : 'offline';
  });
}
