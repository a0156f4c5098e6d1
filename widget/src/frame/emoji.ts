/** A small emoji picker (no library): a grid of common emoji inserted at the caret. */
const EMOJI = '😀 😁 😂 🤣 😊 😇 🙂 😉 😍 😘 😋 😎 🤔 😐 😅 😢 😭 😡 😱 😴 🤗 🙏 👍 👎 👌 👏 💪 🤝 👋 ❤️ 💔 🎉 🌹 ☕ 🎁 ✅ ❌ ❓ ⭐ 🔥'.split(' ');

export function setupEmoji(button: HTMLButtonElement, panel: HTMLElement, input: HTMLTextAreaElement) {
  const toggle = (open: boolean) => {
    panel.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open) (panel.firstElementChild as HTMLElement | null)?.focus();
  };
  panel.replaceChildren(
    ...EMOJI.map((e) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = e;
      b.setAttribute('aria-label', e);
      b.addEventListener('click', () => {
        const at = input.selectionStart ?? input.value.length;
        input.setRangeText(e, at, input.selectionEnd ?? at, 'end');
        input.dispatchEvent(new Event('input'));
        toggle(false);
        input.focus();
      });
      return b;
    }),
  );
  button.addEventListener('click', () => toggle(panel.hidden));
  panel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      toggle(false);
      button.focus();
    }
  });
}
