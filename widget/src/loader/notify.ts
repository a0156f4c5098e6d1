/**
 * New-message notice on the host page while the chat is closed or the tab hidden
 * (WINDOW-RENDER-9): a short tone (WebAudio, no sound file to fetch) and the page
 * title blinking until the visitor comes back.
 */
let blink: ReturnType<typeof setInterval> | undefined;
let saved = '';

export function notify(text: string, sound: boolean) {
  if (sound)
    try {
      const a = new AudioContext();
      const o = a.createOscillator();
      const g = a.createGain();
      g.gain.value = 0.08;
      o.frequency.value = 880;
      o.connect(g).connect(a.destination);
      o.start();
      o.stop(a.currentTime + 0.15);
      o.onended = () => a.close();
    } catch {
      /* no audio (policy or browser) */
    }
  if (blink) return;
  saved = document.title;
  let on = false;
  blink = setInterval(() => (document.title = (on = !on) ? `【${text}】${saved}` : saved), 1000);
}

export function stopNotify() {
  if (!blink) return;
  clearInterval(blink);
  blink = undefined;
  document.title = saved;
}
