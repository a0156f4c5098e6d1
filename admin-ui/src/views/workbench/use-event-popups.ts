import { ElNotification } from 'element-plus';
import { usePreferencesStore } from '@/stores/preferences';
import { consoleAway, desktopNotify } from './alerts';
import type { AlertEvent } from './use-alert-sounds';

/**
 * 弹出通知窗口 of OTHERSET-NOTIFY-2: for an event whose pop-up way is on, an in-console toast while the console
 * is in view, a desktop notification while it is out of view (OTHERSET-DESKTOP-3: from one tab, one per
 * conversation replacing the previous; the toast when the browser may not show one). A new visitor message pops
 * up only while out of view, as the matrix's default says.
 */
export function useEventPopups() {
  const prefs = usePreferencesStore();

  return function popup(event: AlertEvent, conversationId: number, title: string, body: string, onClick: () => void): void {
    const on = prefs.prefs ? prefs.prefs.notify[event]?.popup === true : event !== 'message';
    if (consoleAway() && (on || event === 'message')) {
      if (desktopNotify(title, body, onClick, `kefu-conversation-${conversationId}`) !== 'unavailable') return;
    }
    if (on) ElNotification({ title, message: body, type: 'info', duration: 4000, customClass: 'wb-event-popup', onClick });
  };
}
