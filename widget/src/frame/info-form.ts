/**
 * CONV-FORM-22: the information form an agent pushes, as a card in the chat.
 * Only the newest push waiting for answers holds a form; once the visitor's
 * answers (their own `form` message) arrive, or a newer push replaces it, the
 * card keeps only its title and a note.
 */
import type { FieldDef } from './config.ts';
import { fieldLabel, t } from './i18n.ts';
import type { Shown } from './view.ts';

export interface PushedForm {
  fields: FieldDef[];
  questionTypes?: { id: string; label: Record<string, string> }[];
}

let drawPushed: (host: HTMLElement, form: PushedForm, seq: number) => void = () => undefined;
export const onPushedForm = (fn: typeof drawPushed) => (drawPushed = fn);

/** Closes the forms of pushes before `seq` (a message shown again never closes a newer one). */
function closeOpenForms(list: ParentNode, note: string, seq: number) {
  for (const host of list.querySelectorAll<HTMLElement>('.info-form-host'))
    if (Number(host.dataset.seq) < seq) {
      host.replaceChildren(Object.assign(document.createElement('p'), { className: 'note', textContent: note }));
      host.classList.remove('info-form-host');
    }
}

export function drawInfoForm(box: HTMLElement, m: Shown) {
  const list = box.closest('ol') ?? document;
  if (m.senderKind === 'visitor') {
    closeOpenForms(list, t('formSent'), m.seq ?? Infinity);
    const fields = (m.payload?.fields ?? {}) as Record<string, string>;
    box.textContent = Object.entries(fields)
      .map(([k, v]) => `${fieldLabel(k)}: ${v}`)
      .join('\n');
    return;
  }
  if (box.firstChild) return;
  closeOpenForms(list, t('formReplaced'), m.seq ?? 0);
  const host = document.createElement('div');
  host.className = 'info-form-host';
  host.dataset.seq = String(m.seq ?? 0);
  box.replaceChildren(Object.assign(document.createElement('p'), { className: 'card-text', textContent: t('formTitle') }), host);
  drawPushed(host, m.payload as unknown as PushedForm, m.seq ?? 0);
}
