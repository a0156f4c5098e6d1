/**
 * invite.js: the invitation window (INVITE-RENDER-7) in the company's 弹出方式 mode (INVITE-POPUP-2) and 风格
 * template or custom look (INVITE-STYLE-6). The loader imports it only when an invitation or a proactive greeting
 * arrives, so pages that never get one never load it; the console's preview page bundles the same code.
 */
import { textOn } from '@kefu/core/theme';
import css from './invitation.css?inline';

export interface InvitationWords {
  title: string;
  text: string;
  accept: string;
  decline: string;
}

/** The public part of the invitation settings (the widget's setup answer, `invite`). */
export interface InvitationLook {
  mode: 'center' | 'bottom-right' | 'bottom-left' | 'top-banner';
  /** Missing (settings not loaded yet): the default look. */
  style?: {
    template: 'simple' | 'business' | 'card' | 'bubble' | 'banner' | 'dark' | 'custom';
    width: number;
    height: number;
    titleColor: string | null;
    textColor: string | null;
    buttonColor: string | null;
    buttonTextColor: string | null;
    showClose: boolean;
    /** The custom template's background image (an address on the Kefu server), covering the box. */
    image?: string | null;
  };
  theme?: string;
  /** A manual invitation while avatars are on: the inviting agent (no picture: initials on the theme colour). */
  agent?: { name: string; url: string | null } | null;
  /** Where relative picture addresses point (the Kefu server), as the host page is another site. */
  base?: string;
}

const HEX = /^#[0-9a-f]{6}$/i;
const DEFAULT_STYLE: NonNullable<InvitationLook['style']> = {
  template: 'simple',
  width: 360,
  height: 200,
  titleColor: null,
  textColor: null,
  buttonColor: null,
  buttonTextColor: null,
  showClose: true,
};
const make = <K extends keyof HTMLElementTagNameMap>(tag: K, cls = '', text = '') => {
  const n = document.createElement(tag);
  n.className = cls;
  n.textContent = text;
  return n;
};

/** The CSS variables of a look: the theme colour everywhere, custom colours only in the custom template. */
function palette(look: InvitationLook): [string, string][] {
  const s = look.style ?? DEFAULT_STYLE;
  const theme = look.theme && HEX.test(look.theme) ? look.theme : '#1677ff';
  const vars: [string, string][] = [
    ['--c', theme],
    ['--t', textOn(theme)],
    ['--w', `${s.template === 'custom' ? s.width : 360}px`],
  ];
  if (s.template !== 'custom') return vars;
  const own = (v: string | null) => (v && HEX.test(v) ? v : null);
  const bar = own(s.titleColor);
  const button = own(s.buttonColor);
  vars.push(['--h', `${s.height}px`]);
  if (bar) vars.push(['--bar', bar], ['--bart', textOn(bar)]);
  if (own(s.textColor)) vars.push(['--fg', s.textColor!]);
  if (button) vars.push(['--btn', button], ['--btnt', own(s.buttonTextColor) ?? textOn(button)]);
  else if (own(s.buttonTextColor)) vars.push(['--btnt', s.buttonTextColor!]);
  return vars;
}

function agentBadge(agent: NonNullable<InvitationLook['agent']>, base: string): HTMLElement {
  const box = make('div', 'agent');
  if (agent.url) {
    const img = make('img');
    img.alt = '';
    img.src = new URL(agent.url, base).href;
    box.append(img);
  } else box.append(make('span', 'initials', [...agent.name.trim()][0]?.toUpperCase() ?? '?'));
  box.append(make('b', '', agent.name));
  return box;
}

/**
 * Shows the invitation in its own shadow root on the page; `answer` gets true (接受), false (拒绝, ×, Esc) or null
 * (shown for `ms` without an answer; 0 = until answered). Focus lands on 接受. Answers a function that removes it unanswered.
 */
export function showInvitation(words: InvitationWords, look: InvitationLook, ms: number, answer: (accepted: boolean | null) => void): () => void {
  const host = document.createElement('kefu-invite');
  host.setAttribute('style', 'all:initial!important;position:fixed!important;display:block!important;width:0!important;height:0!important;top:0!important;left:0!important;z-index:2147483002!important');
  const root = host.attachShadow({ mode: 'open' });
  const sheet = make('style');
  sheet.textContent = css;
  const style = look.style ?? DEFAULT_STYLE;
  const box = make('div', `inv m-${look.mode || 'center'} t-${style.template}`);
  box.setAttribute('role', 'dialog');
  box.setAttribute('aria-label', words.title);
  for (const [k, v] of palette(look)) box.style.setProperty(k, v);
  if (style.image) box.style.background = `var(--bg, #fff) url("${new URL(style.image, look.base ?? location.href).href}") center / cover no-repeat`;
  const body = make('div', 'body');
  if (look.agent) body.append(agentBadge(look.agent, look.base ?? location.href));
  body.append(make('p', '', words.text));
  const ok = make('button', 'ok', words.accept);
  const no = make('button', '', words.decline);
  const row = make('div', 'row');
  row.append(no, ok);
  box.append(make('h2', '', words.title), body, row);
  if (style.showClose) {
    const x = make('button', 'x', '×');
    x.setAttribute('aria-label', words.decline);
    x.onclick = () => done(false);
    box.append(x);
  }
  root.append(sheet, box);
  document.body.append(host);

  let timer: ReturnType<typeof setTimeout> | undefined;
  const remove = () => {
    clearTimeout(timer);
    host.remove();
  };
  const done = (a: boolean | null) => {
    if (!host.isConnected) return;
    remove();
    answer(a);
  };
  ok.onclick = () => done(true);
  no.onclick = () => done(false);
  box.onkeydown = (e) => e.key === 'Escape' && done(false);
  if (ms > 0) timer = setTimeout(() => done(null), ms);
  ok.focus();
  return remove;
}
