import { usePreferencesStore } from '@/stores/preferences';
import { useWorkbenchStore } from '@/stores/workbench';
import { alertLeader, beep } from './alerts';

/** The events of OTHERSET-NOTIFY-2 that the workbench signals. */
export type AlertEvent = 'arrive' | 'request' | 'connected' | 'message' | 'leave' | 'transfer' | 'internal' | 'notice';

/** The six bundled sounds of OTHERSET-SOUND-4, made with WebAudio: tone (Hz) and length (ms). */
const TONES: Record<string, [number, number]> = {
  chime: [660, 160],
  bell: [520, 260],
  ding: [880, 120],
  pop: [990, 60],
  knock: [220, 90],
  marimba: [440, 200],
};
/** A burst of one event type plays at most once per this long (OTHERSET-SOUND-4). */
export const BURST_MS = 2000;
/** Shared by every part of the workbench that signals, so the burst rule holds across them. */
const lastPlayed: Partial<Record<AlertEvent, number>> = {};

/**
 * Plays the agent's sound for an event, as the personal settings say (OTHERSET-SOUND-4, OTHERSET-NOTIFY-2):
 * the event's 声音 way and its chosen sound (无 none is silent), the master volume, 全部静音 and 忙碌时静音.
 * Until the settings arrive, the defaults of the matrix apply (chat request, connected and new message sound).
 * Only the leading tab of the browser plays (MAIN-TABS-6).
 */
export function useAlertSounds() {
  const prefs = usePreferencesStore();
  const store = useWorkbenchStore();

  return function play(event: AlertEvent): boolean {
    const p = prefs.prefs;
    const sound = p ? p.sound.events[event] ?? 'none' : 'chime';
    const wanted = p ? p.notify[event]?.sound === true : event === 'request' || event === 'connected' || event === 'message';
    if (!wanted || sound === 'none' || p?.sound.muteAll || (p?.sound.muteWhenBusy && store.status === 'busy')) return false;
    // One tab of the browser rings (MAIN-TABS-6).
    if (!alertLeader.value) return false;
    const now = Date.now();
    if (now - (lastPlayed[event] ?? -Infinity) < BURST_MS) return false;
    lastPlayed[event] = now;
    const [frequency, ms] = TONES[sound] ?? TONES.chime;
    beep(frequency, ms, p?.sound.volume ?? 70);
    return true;
  };
}
