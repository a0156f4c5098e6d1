/**
 * 预览效果 (SPEC STYLE-PREVIEW-6): the chat window of frame.html — same markup, styles and view code — drawn from
 * settings the console has not saved yet, which it posts here (`kefu:preview`). This entry never imports
 * socket.io-client and never asks the server for anything but the pictures it is given, so a preview creates no
 * visitor and no conversation. Built as its own page (preview.html), so neither the loader nor the chat window grows.
 */
import { textOn } from '@kefu/core/theme';
import { showInvitation, type InvitationLook, type InvitationWords } from '../invite/index.ts';
import { drawAd } from './ad.ts';
import type { WidgetConfig } from './config.ts';
import { drawLeave, drawStart } from './screens.ts';
import { language, setLanguage, t } from './i18n.ts';
import { applyTexts, clearMessages, el, setAgent, setState, upsert } from './view.ts';
import './style.css';
import './preview-page.css';

type Texts = Partial<Record<'title' | 'welcome' | 'waiting' | 'warning', string>>;
/** What the console posts: the unsaved values, already in the widget's shape (admin-ui widget-preview-config.ts). */
export interface PreviewConfig {
  lang: string;
  companyName?: string;
  /** Per language; an empty text falls back to the widget's own one. */
  texts: Record<string, Texts | undefined>;
  style: { themeColor: string; logo?: string | null };
  toolbar: Partial<Record<'emoji' | 'image' | 'file' | 'screenshot' | 'rating' | 'saveTranscript', boolean>>;
  ad?: { url: string; link: string | null; alt: Record<string, string> } | null;
  /**
   * Which screen: the chat (default), the pre-chat form (PRECHAT-SCREEN-9), the leave-message form (LEAVESET-SCREEN-10)
   * or the invitation over a stand-in page (INVITE-SCREEN-9).
   */
  screen?: 'chat' | 'prechat' | 'leave' | 'invite';
  /** For those screens, the forms in the shape of the widget's setup answer (@kefu/core/widget-forms). */
  prechat?: WidgetConfig['prechat'];
  leaveMessage?: WidgetConfig['leaveMessage'];
  /** For the invitation: its words in `lang` and its look, as the loader would pass them to invite.js. */
  invite?: { words: InvitationWords; look: InvitationLook };
}

const HEX = /^#[0-9a-f]{6}$/i;

function draw(c: PreviewConfig) {
  setLanguage(c.lang);
  applyTexts(language());
  const texts = c.texts[language()] ?? {};
  el.title.textContent = texts.title ? texts.title.replace('{company}', c.companyName ?? '').trim() : t('title');
  el.notice.textContent = texts.warning ?? '';
  // A colour still being typed keeps the last good one, as the saved settings would never hold it.
  if (HEX.test(c.style.themeColor)) {
    document.documentElement.style.setProperty('--theme', c.style.themeColor);
    document.documentElement.style.setProperty('--on-theme', textOn(c.style.themeColor));
  }
  el.logo.hidden = !c.style.logo;
  if (c.style.logo) el.logo.src = c.style.logo;
  const tools = c.toolbar;
  el.emoji.hidden = tools.emoji === false;
  el.image.hidden = tools.image === false;
  el.file.hidden = tools.file === false;
  el.shot.hidden = tools.screenshot === false;
  el.heart.hidden = tools.rating === false;
  el.save.hidden = tools.saveTranscript === false;
  el.queueLeave.hidden = true;
  drawAd({ ad: c.ad ?? null });

  shown++;
  hideInvitation();
  document.body.classList.toggle('page', c.screen === 'invite');
  if (c.screen === 'invite') return drawInvitation(c.invite!);
  if (c.screen === 'prechat' || c.screen === 'leave') return drawForms(c);
  // A chat as a visitor sees it once an agent took it: the waiting line, then the welcome text from the agent.
  clearMessages();
  const agent = t('agent');
  if (texts.waiting) upsert({ clientId: 'preview:waiting', senderKind: 'system', text: texts.waiting, seq: 1 });
  upsert({ clientId: 'preview:welcome', senderKind: 'agent', senderName: agent, text: texts.welcome || t('welcome'), seq: 2 });
  setAgent(agent);
  setState('active');
  el.app.dataset.preview = 'ready';
}

/** The drawn invitation: a new draw (`shown` moves on) removes it and stops its redrawing. */
let shown = 0;
let hideInvitation = () => {};
/** The invitation as invite.js draws it on a visitor's page; answering it only draws it again. */
function drawInvitation({ words, look }: NonNullable<PreviewConfig['invite']>) {
  const me = shown;
  const show = () => me === shown && (hideInvitation = showInvitation(words, look, 0, () => setTimeout(show, 600)));
  show();
  el.app.dataset.preview = 'ready';
}

/** The widget's own form screens; submitting checks the fields as a visitor's would, then only shows the thanks. */
function drawForms(c: PreviewConfig) {
  const config = { prechat: c.prechat, leaveMessage: c.leaveMessage, texts: {} } as unknown as WidgetConfig;
  if (c.screen === 'prechat') {
    // Always drawn here, switched on or not: the screen edits the form.
    drawStart({ ...config, prechat: { ...c.prechat!, enabled: true } }, { prefill: {}, submitPrechat: async () => undefined });
    setState('start');
  } else {
    drawLeave({ ...config, leaveMessage: { ...c.leaveMessage!, enabled: true } }, { prefill: {}, page: '', canChat: false, back: () => undefined, submit: async () => undefined });
    setState('leave');
  }
  el.app.dataset.preview = 'ready';
}

// Nothing in a preview is sent anywhere: the composer and the tools only look real.
el.form.addEventListener('submit', (e) => e.preventDefault());
el.input.readOnly = true;
el.close.hidden = true;

window.addEventListener('message', (e) => {
  // Only the console page that holds this frame (same origin) draws it.
  if (e.source !== window.parent || e.origin !== location.origin) return;
  const m = e.data as { type?: string; config?: PreviewConfig };
  if (m?.type === 'kefu:preview' && m.config) draw(m.config);
});
window.parent.postMessage({ type: 'kefu:preview-ready' }, location.origin);
