import { ref } from 'vue';

/** New-chat and new-message alerts: a short beep made with WebAudio and a desktop notification when the console is out of view. */
let audio: AudioContext | null = null;

/** Whether this tab rings for the browser (MAIN-TABS-6); the workbench keeps it from its tab leader. */
export const alertLeader = ref(true);

/** `volume` 0–100 (OTHERSET-SOUND-4's master volume). */
export function beep(frequency = 880, ms = 160, volume = 70): void {
  if (volume <= 0) return;
  try {
    audio ??= new AudioContext();
    if (audio.state === 'suspended') void audio.resume();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = 'sine';
    osc.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.3 * (volume / 100), audio.currentTime + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + ms / 1000);
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + ms / 1000 + 0.02);
  } catch {
    // No audio device or autoplay refused before the first click: stay silent.
  }
}

export type NotificationPermissionState = NotificationPermission | 'unsupported';

export const notificationPermission = (): NotificationPermissionState => (typeof Notification === 'undefined' ? 'unsupported' : Notification.permission);

/** Asked only when the agent presses 启用桌面通知 (OTHERSET-DESKTOP-3), never on page load. */
export async function askNotificationPermission(): Promise<NotificationPermissionState> {
  if (typeof Notification === 'undefined') return 'unsupported';
  return Notification.requestPermission().catch(() => Notification.permission);
}

/** The console is out of the agent's view: another tab or window is in front (no desktop notification otherwise). */
export const consoleAway = () => document.visibilityState === 'hidden' || !document.hasFocus();

/**
 * A desktop notification while the console is out of view, from the leading tab only (MAIN-TABS-6). `tag`: those of
 * one conversation replace each other (OTHERSET-DESKTOP-3). Answers `elsewhere` when another tab shows it, and
 * `unavailable` when the browser cannot (not permitted, unsupported, or the console is in view), so the caller may
 * use an in-console pop-up instead.
 */
export function desktopNotify(title: string, body: string, onClick?: () => void, tag = 'kefu-workbench'): 'shown' | 'elsewhere' | 'unavailable' {
  if (notificationPermission() !== 'granted' || !consoleAway()) return 'unavailable';
  if (!alertLeader.value) return 'elsewhere';
  try {
    const n = new Notification(title, { body, tag });
    n.onclick = () => {
      window.focus();
      onClick?.();
      n.close();
    };
    return 'shown';
  } catch {
    // Some browsers only allow notifications from a service worker: the sound still plays.
    return 'unavailable';
  }
}
