/** New-chat and new-message alerts: a short beep made with WebAudio and a desktop notification when the tab is hidden. */
let audio: AudioContext | null = null;

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

/** Asks once, on a click of the agent (browsers refuse prompts without one). */
export function askNotificationPermission(): void {
  if (typeof Notification !== 'undefined' && Notification.permission === 'default') void Notification.requestPermission().catch(() => undefined);
}

/** `tag`: notifications with the same tag (one conversation's) replace each other (OTHERSET-DESKTOP-3). */
export function desktopNotify(title: string, body: string, onClick?: () => void, tag = 'kefu-workbench'): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted' || document.visibilityState !== 'hidden') return;
  try {
    const n = new Notification(title, { body, tag });
    n.onclick = () => {
      window.focus();
      onClick?.();
      n.close();
    };
  } catch {
    // Some browsers only allow notifications from a service worker: the sound still plays.
  }
}
