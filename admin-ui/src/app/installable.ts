import { shallowRef } from 'vue';

/** Chromium's install prompt, kept for the 安装为应用 button (SPEC OTHERSET-AUTOSTART-8). */
interface InstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

/** Set while the browser offers to install the console; null once used or where browsers never offer it. */
export const installPrompt = shallowRef<InstallPromptEvent | null>(null);

/** The console is running as an installed app in its own window (Safari on iOS says so in `navigator.standalone`). */
export const runsInstalled = () =>
  (typeof matchMedia === 'function' && matchMedia('(display-mode: standalone)').matches) || !!(navigator as { standalone?: boolean }).standalone;

/** Registers the service worker of the app shell, which makes the console installable (production builds only). */
export function installAppShell(): void {
  window.addEventListener('beforeinstallprompt', (event) => {
    event.preventDefault();
    installPrompt.value = event as InstallPromptEvent;
  });
  window.addEventListener('appinstalled', () => (installPrompt.value = null));
  if (import.meta.env.PROD && 'serviceWorker' in navigator) {
    // This module's own built name carries the build's hash: a new build installs a new worker, which stores its files.
    navigator.serviceWorker.register(`/sw.js?build=${encodeURIComponent(new URL(import.meta.url).pathname)}`).catch(() => undefined);
  }
}

/** Shows the browser's install dialog; true when the agent installed the app. */
export async function promptInstall(): Promise<boolean> {
  const event = installPrompt.value;
  if (!event) return false;
  installPrompt.value = null;
  await event.prompt();
  return (await event.userChoice).outcome === 'accepted';
}
