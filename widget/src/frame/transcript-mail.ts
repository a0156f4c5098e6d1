/**
 * CONV-TRANSCRIPT-40 邮件发送记录 (tool `emailTranscript`, off by default): during or after the chat the
 * visitor gives an e-mail address and the server mails the transcript when the conversation ends, or
 * at once if it has (POST /api/widget/transcript/email; at most 3 per conversation). When the anti-spam
 * verification applies (POLICY-SPAM-4) the visitor solves the image challenge and the request is sent again.
 */
import { askCaptcha, newChallenge, type Answer, type Challenge } from './captcha.ts';
import { language } from './i18n.ts';
import { el } from './view.ts';
import './transcript-mail.css';

const TEXTS = {
  en: {
    tool: 'E-mail the conversation',
    label: 'Send the conversation to this e-mail address',
    send: 'Send',
    later: 'We will e-mail the conversation to {email} when the chat ends.',
    now: 'The conversation is on its way to {email}.',
    invalid: 'Enter a valid e-mail address',
    limit: 'The conversation cannot be e-mailed more often.',
    failed: 'The e-mail could not be requested. Please try again later.',
  },
  'zh-CN': {
    tool: '邮件发送记录',
    label: '将对话记录发送到此邮箱',
    send: '发送',
    later: '对话结束后，我们会将对话记录发送到 {email}。',
    now: '对话记录已发往 {email}。',
    invalid: '请输入有效的邮箱地址',
    limit: '对话记录的发送次数已达上限。',
    failed: '暂时无法发送，请稍后再试。',
  },
  'zh-TW': {
    tool: '郵件發送記錄',
    label: '將對話記錄寄到此信箱',
    send: '發送',
    later: '對話結束後，我們會將對話記錄寄到 {email}。',
    now: '對話記錄已寄往 {email}。',
    invalid: '請輸入有效的電子郵件地址',
    limit: '對話記錄的寄送次數已達上限。',
    failed: '暫時無法寄送，請稍後再試。',
  },
  ja: {
    tool: '会話をメールで送る',
    label: 'このメールアドレスに会話を送ります',
    send: '送信',
    later: 'チャット終了後、会話を {email} にお送りします。',
    now: '会話を {email} に送信しました。',
    invalid: '正しいメールアドレスを入力してください',
    limit: 'これ以上は会話をメールで送れません。',
    failed: '送信を受け付けられませんでした。しばらくしてからお試しください。',
  },
  ko: {
    tool: '대화 이메일로 받기',
    label: '이 이메일 주소로 대화를 보냅니다',
    send: '보내기',
    later: '상담이 끝나면 대화 내용을 {email}(으)로 보내 드립니다.',
    now: '대화 내용을 {email}(으)로 보냈습니다.',
    invalid: '올바른 이메일 주소를 입력하세요',
    limit: '더 이상 대화를 이메일로 보낼 수 없습니다.',
    failed: '요청하지 못했습니다. 잠시 후 다시 시도하세요.',
  },
};
const text = () => TEXTS[language() as keyof typeof TEXTS] ?? TEXTS.en;
const ENVELOPE = '<svg viewBox="0 0 24 24" aria-hidden="true"><rect x="3" y="5" width="18" height="14" rx="2" /><path d="m3 7 9 6 9-6" /></svg>';

export interface TranscriptMailDeps {
  company: string;
  token(): string | undefined;
  conversationId(): number | null;
  /** An address the visitor gave before (pre-chat or information form). */
  knownEmail(): string | undefined;
}

export function setupTranscriptMail(d: TranscriptMailDeps) {
  const tool = Object.assign(document.createElement('button'), { type: 'button', id: 'mail', hidden: true, innerHTML: ENVELOPE });
  tool.setAttribute('aria-expanded', 'false');
  el.save.after(tool);
  const form = Object.assign(document.createElement('form'), { id: 'mail-panel', className: 'mail-panel', hidden: true, noValidate: true });
  const label = Object.assign(document.createElement('label'), { htmlFor: 'mail-address' });
  const input = Object.assign(document.createElement('input'), { id: 'mail-address', name: 'email', type: 'email', maxLength: 254, autocomplete: 'email', required: true });
  const send = Object.assign(document.createElement('button'), { type: 'submit', className: 'primary' });
  const note = Object.assign(document.createElement('p'), { className: 'note' });
  note.setAttribute('role', 'status');
  form.append(label, input, send, note);
  el.tools.before(form);

  const say = (s: string, error = false) => {
    note.textContent = s;
    note.classList.toggle('error', error);
    input.setAttribute('aria-invalid', String(error && s === text().invalid));
  };
  const toggle = (open: boolean) => {
    form.hidden = !open;
    tool.setAttribute('aria-expanded', String(open));
    if (!open) return;
    if (!input.value) input.value = d.knownEmail() ?? '';
    input.focus();
  };
  tool.addEventListener('click', () => toggle(form.hidden));
  form.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    toggle(false);
    tool.focus();
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const conversationId = d.conversationId();
    const email = input.value.trim();
    if (!conversationId) return;
    say('');
    if (!email || !input.checkValidity()) return say(text().invalid, true);
    send.disabled = true;
    try {
      let r: Response;
      let body: { status?: string; error?: { code?: string; challenge?: Challenge } } | null;
      for (let verification: Answer | undefined; ; ) {
        r = await fetch('/api/widget/transcript/email', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ companyId: d.company, token: d.token(), conversationId, email, language: language(), verification }),
        });
        body = await r.json().catch(() => null);
        const code = body?.error?.code;
        if (r.status !== 403 || !code?.startsWith('verification_')) break;
        // Cancelling the challenge leaves the form as it was.
        verification = await askCaptcha(body?.error?.challenge ?? null, code === 'verification_failed', () => newChallenge(d.company)).catch(() => undefined);
        if (!verification) return;
      }
      if (r.ok) say((body?.status === 'sent' ? text().now : text().later).replace('{email}', email));
      else if (r.status === 429) say(text().limit, true);
      else if (body?.error?.code === 'validation_failed') say(text().invalid, true);
      else say(text().failed, true);
    } catch {
      say(text().failed, true);
    } finally {
      send.disabled = false;
    }
  });

  return {
    /** Shown while the tool is on and there is a conversation (running or ended); texts follow the language. */
    show(on: boolean) {
      tool.hidden = !on;
      if (!on) toggle(false);
      tool.setAttribute('aria-label', text().tool);
      tool.title = text().tool;
      label.textContent = text().label;
      send.textContent = text().send;
    },
  };
}
