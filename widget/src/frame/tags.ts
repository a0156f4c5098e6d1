import { inLang, type WidgetConfig } from './config.ts';
import { el } from './view.ts';

/**
 * TAG-RENDER-3: custom tags as a row of chips above the input, before and during
 * a chat. A chip stays disabled until its message is acknowledged, so a double
 * click sends once.
 */
export function drawTags(config: WidgetConfig | null, send: (text: string) => Promise<unknown>) {
  let row = document.getElementById('tags');
  if (!row) {
    row = document.createElement('div');
    row.id = 'tags';
    row.className = 'tags';
    el.form.before(row);
  }
  row.replaceChildren(
    ...(config?.tags ?? []).map((tag) => {
      const chip = document.createElement('button');
      chip.type = 'button';
      chip.className = 'tag';
      chip.textContent = inLang(tag.label) ?? '';
      chip.addEventListener('click', async () => {
        chip.disabled = true;
        try {
          await send(inLang(tag.text) ?? chip.textContent ?? '');
        } catch {
          /* the status line already says why */
        } finally {
          chip.disabled = false;
        }
      });
      return chip;
    }),
  );
  row.hidden = !row.childElementCount;
}
