/**
 * POLICY-SPAM-6: the anti-spam image challenge before a chat request goes through.
 * The server's refusal carries the first challenge; a wrong answer and the refresh
 * button fetch a new one. The SVG is shown through an <img> data URL, so nothing
 * in it can run in the window.
 */
import { RealtimeError } from '@kefu/core/protocol/client';
import { t, type Key } from './i18n.ts';
import { el } from './view.ts';

export interface Challenge {
  challengeId: string;
  image: string;
}
export interface Answer {
  challengeId: string;
  answer: string;
}

/** The refusal's challenge when the server asks for verification; `wrong` when the last answer was not right. */
export function challengeOf(err: unknown): { challenge: Challenge | null; wrong: boolean } | null {
  if (!(err instanceof RealtimeError) || !err.code.startsWith('verification_')) return null;
  const c = (err.details as { challenge?: Challenge }).challenge;
  return { challenge: c?.challengeId && c.image ? c : null, wrong: err.code === 'verification_failed' };
}

export async function newChallenge(companyId: string): Promise<Challenge> {
  const r = await fetch('/api/widget/verification', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ companyId: Number(companyId) }),
  });
  const body = await r.json();
  if (!r.ok) throw new Error(body?.error?.message ?? t('unavailable'));
  return body as Challenge;
}

// Typed as the element alone: Object.assign's intersection with the Partial is too complex a union for tsc on <input>.
const node = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}): HTMLElementTagNameMap[K] =>
  Object.assign(document.createElement(tag), props);

/**
 * Shows the dialog and resolves with the visitor's answer; rejects when the visitor cancels.
 * `challenge` null (a wrong answer keeps no image to show) fetches a fresh one first.
 */
export function askCaptcha(challenge: Challenge | null, wrong: boolean, fetchNew: () => Promise<Challenge>): Promise<Answer> {
  document.getElementById('captcha')?.remove();
  const dialog = node('form', { id: 'captcha', className: 'captcha' });
  dialog.setAttribute('role', 'dialog');
  dialog.setAttribute('aria-modal', 'true');
  const title = node('p', { id: 'captcha-title', className: 'captcha-title', textContent: t('captchaTitle') });
  dialog.setAttribute('aria-labelledby', title.id);
  const img = node('img', { className: 'captcha-image', alt: t('captchaImage'), width: 150, height: 50 });
  const refresh = node('button', { type: 'button', className: 'plain captcha-refresh', textContent: t('captchaRefresh') });
  const input = node('input', { name: 'captcha', autocomplete: 'off', maxLength: 10, required: true });
  input.setAttribute('aria-label', t('captchaAnswer'));
  input.setAttribute('aria-describedby', 'captcha-error');
  const error = node('p', { id: 'captcha-error', className: 'error' });
  error.setAttribute('role', 'alert');
  const send = node('button', { type: 'submit', className: 'primary', textContent: t('captchaSend') });
  const cancel = node('button', { type: 'button', className: 'plain', textContent: t('captchaCancel') });
  const row = node('div', { className: 'row' });
  row.append(send, cancel);
  const picture = node('div', { className: 'captcha-picture' });
  picture.append(img, refresh);
  dialog.append(title, picture, input, error, row);
  el.app.append(dialog);

  let current = challenge;
  const say = (key: Key | '') => {
    error.textContent = key ? t(key) : '';
    input.setAttribute('aria-invalid', String(!!key));
  };
  const show = (c: Challenge) => {
    current = c;
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(c.image)}`;
    input.value = '';
    input.focus();
  };
  const reload = async () => {
    refresh.disabled = true;
    try {
      show(await fetchNew());
    } catch {
      say('unavailable');
    } finally {
      refresh.disabled = false;
    }
  };
  say(wrong ? 'captchaWrong' : '');
  if (current) show(current);
  else void reload();
  refresh.addEventListener('click', () => {
    say('');
    void reload();
  });

  return new Promise<Answer>((resolve, reject) => {
    dialog.addEventListener('submit', (e) => {
      e.preventDefault();
      const answer = input.value.trim();
      if (!answer) return say('required');
      if (!current) return;
      dialog.remove();
      resolve({ challengeId: current.challengeId, answer });
    });
    const close = () => {
      dialog.remove();
      reject(new RealtimeError('verification_cancelled', t('captchaTitle'), { code: 'verification_cancelled', message: '' }));
    };
    cancel.addEventListener('click', close);
    dialog.addEventListener('keydown', (e) => e.key === 'Escape' && close());
  });
}
