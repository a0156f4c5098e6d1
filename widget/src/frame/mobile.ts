/** The chat window on phones (SPEC MOBILE §7.1.5). */
import type { WidgetConfig } from './config.ts';

/** What the server sends while the mobile window is on (core/src/mobile/mobile-schema.ts publicMobile). */
export interface MobileConfig {
  openMode: 'overlay' | 'page';
  /** The desktop texts with the mobile ones over them, title included. */
  texts: WidgetConfig['texts'];
  themeColor: string;
  themeText: string;
  toolbar: Partial<WidgetConfig['toolbar']>;
}

/**
 * MOBILE-SWITCH-1: a phone or tablet by its browser, or a screen under 600 px. Not this window's innerWidth:
 * inside the in-page panel that is the panel's 380 px, which made every desktop visitor a phone.
 */
export const isPhone = () => Math.min(screen.width, screen.height) < 600 || /Mobi|Android/.test(navigator.userAgent);

/** MOBILE-WINDOW-3: on phones the mobile window's texts, theme colour and tools replace the desktop ones. */
export function forDevice(c: (WidgetConfig & { mobile?: MobileConfig | null }) | null): WidgetConfig | null {
  const m = c?.mobile;
  if (!c || !m || !isPhone()) return c;
  return { ...c, texts: m.texts, style: { ...c.style, themeColor: m.themeColor, themeText: m.themeText }, toolbar: { ...c.toolbar, ...m.toolbar } };
}

/**
 * MOBILE-RENDER-5: the phone's back button closes the full-screen window
 * instead of leaving the page. Opening adds a history entry from inside the
 * frame (one session history for page and frame); going back pops it here.
 */
export function closeOnBack(close: () => void) {
  let pushed = false;
  window.addEventListener('message', (e) => {
    const m = e.data as { type?: string; open?: boolean };
    if (e.source !== window.parent || m?.type !== 'kefu:visible' || !m.open || pushed || !isPhone()) return;
    history.pushState({ kefu: 1 }, '');
    pushed = true;
  });
  window.addEventListener('popstate', () => {
    if (!pushed) return;
    pushed = false;
    close();
  });
}
