/**
 * The screens around a chat: the start screen (welcome and button, or the
 * pre-chat form, PRECHAT-RENDER-7), the waiting visitor's controls (CONV-QUEUE-7)
 * and the leave-message form (LEAVESET-RENDER-8) with its thank-you text, or the
 * offline notice when leave-messages are off.
 */
import { inLang, type WidgetConfig } from './config.ts';
import { drawForm } from './forms.ts';
import { language, t, type Key } from './i18n.ts';
import { uuid } from './storage.ts';
import { el } from './view.ts';

const defaultStart = [...el.startBody.childNodes];
const para = (text: string, cls = '') => Object.assign(document.createElement('p'), { textContent: text, className: cls });

export interface StartActions {
  prefill: Record<string, string>;
  /** Pre-chat values, validated by the server; resolves once the chat was requested. */
  submitPrechat(values: Record<string, string>): Promise<void>;
}

export function drawStart(config: WidgetConfig | null, a: StartActions) {
  const p = config?.prechat;
  el.leaveLink.hidden = !config?.leaveMessage.enabled;
  if (!p?.enabled) return el.startBody.replaceChildren(...defaultStart);
  const host = document.createElement('div');
  el.startBody.replaceChildren(para(inLang(p.welcome) || t('welcome')), host);
  drawForm(host, {
    id: 'prechat',
    fields: p.fields,
    choices: { questionType: p.questionTypes.map((q) => ({ value: q.id, label: inLang(q.label) ?? q.id })) },
    values: a.prefill,
    submitLabel: t('start'),
    onSubmit: a.submitPrechat,
  });
}

export interface QueueActions {
  cancel(): void;
  leaveMessage(): void;
  keepWaiting(): void;
}

/** A button whose text follows the window's language (applyTexts re-reads data-i18n). */
function textButton(id: string, key: Key, cls: string, onClick: () => void) {
  const b = Object.assign(document.createElement('button'), { id, type: 'button', className: cls, textContent: t(key) });
  b.dataset.i18n = key;
  b.addEventListener('click', onClick);
  return b;
}

/**
 * The waiting visitor's controls: 取消排队 beside the 留言 button (ASSIGN-LEAVE-11,
 * CONV-QUEUE-7), and the question asked once the maximum wait is reached: 继续等待
 * or 留言 (ASSIGN-OVERFLOW-10).
 */
export function setupQueue(a: QueueActions) {
  const cancel = textButton('queue-cancel', 'cancelQueue', 'plain', a.cancel);
  el.queueLeave.after(cancel);
  const prompt = Object.assign(document.createElement('div'), { id: 'queue-prompt', className: 'queue-prompt', hidden: true });
  prompt.setAttribute('role', 'alert');
  const question = para(t('queuePrompt'));
  question.dataset.i18n = 'queuePrompt';
  prompt.append(
    question,
    textButton('queue-keep', 'keepWaiting', 'primary', () => {
      prompt.hidden = true;
      a.keepWaiting();
    }),
    textButton('queue-write', 'leave', 'plain', a.leaveMessage),
  );
  el.tools.before(prompt);
  return {
    /** Shown while the request waits; the question goes with it. */
    show(waiting: boolean, canLeaveMessage: boolean) {
      cancel.hidden = !waiting;
      el.queueLeave.hidden = !waiting || !canLeaveMessage;
      if (!waiting) prompt.hidden = true;
    },
    ask: () => (prompt.hidden = false),
  };
}

export interface LeaveActions {
  prefill: Record<string, string>;
  /** Why the form replaces the chat (a full queue, ASSIGN-OVERFLOW-10), shown above its intro. */
  notice?: string;
  page: string;
  /** Whether "back" can return to the chat (someone is online). */
  canChat: boolean;
  back(): void;
  submit(payload: { fields: Record<string, string>; clientId: string; language: string; pageUrl?: string }): Promise<void>;
}

/** Fills #leave; the caller switches the state to `leave`. */
export function drawLeave(config: WidgetConfig | null, a: LeaveActions) {
  const m = config?.leaveMessage;
  const back = Object.assign(document.createElement('button'), { type: 'button', className: 'plain', textContent: t('back') });
  back.addEventListener('click', a.back);
  if (!m?.enabled) return el.leave.replaceChildren(para(inLang(config?.texts)?.offline || t('unavailable'), 'intro'));
  const texts = inLang(m.texts);
  const title = Object.assign(document.createElement('h2'), { textContent: texts?.title || t('leave') });
  const host = document.createElement('div');
  el.leave.replaceChildren(title, ...(a.notice ? [para(a.notice, 'queue-full')] : []), para(texts?.intro ?? '', 'intro'), host, ...(a.canChat ? [back] : []));
  // One client id per form: a second click or a resend after reconnect stores one leave-message.
  const clientId = uuid();
  drawForm(host, {
    id: 'leave-form',
    fields: m.fields,
    values: a.prefill,
    requireContact: m.requireContact,
    submitLabel: t('submit'),
    onSubmit: async (fields) => {
      await a.submit({ fields, clientId, language: language(), ...(a.page ? { pageUrl: a.page.slice(0, 2048) } : {}) });
      el.leave.replaceChildren(title, para(texts?.thanks ?? '', 'thanks'), ...(a.canChat ? [back] : []));
    },
  });
}

/** LEAVESET-URL-7: the company's own page instead of the form, with who and where as query parameters. */
export function externalLeaveUrl(base: string, q: { company: string; visitor: string; page: string }): string {
  const u = new URL(base);
  u.searchParams.set('kefu_company', q.company);
  u.searchParams.set('kefu_visitor', q.visitor);
  u.searchParams.set('kefu_lang', language());
  u.searchParams.set('kefu_page', q.page);
  return u.href;
}
