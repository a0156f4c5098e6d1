/** DOM of the chat window. Message text is only ever set with textContent. */
import type { MessageView } from '@kefu/core/protocol';
import { shownStyle } from '@kefu/core/protocol/palette';
import { t, type Key } from './i18n.ts';
import { drawFile, type FilePayload } from './media.ts';
import { drawInfoForm } from './info-form.ts';
import { drawCard, linkify } from './rich.ts';

export type State = 'loading' | 'start' | 'leave' | 'queued' | 'active' | 'ended';
export type SendState = 'sending' | 'sent' | 'failed';
/** What the list shows: a stored message, or one still in the outbox. */
export interface Shown {
  clientId: string;
  seq?: number;
  senderKind: MessageView['senderKind'] | 'visitor';
  senderName?: string | null;
  senderId?: string | null;
  kind?: MessageView['kind'];
  text: string | null;
  payload?: Record<string, unknown> | null;
  createdAt?: string;
  state?: SendState;
  /** An upload: percent sent, the local preview, or why it failed. */
  progress?: number;
  preview?: string;
  error?: string;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
export const el = {
  app: $('app'),
  status: $('status'),
  agent: $('agent'),
  title: $('title'),
  logo: $<HTMLImageElement>('logo'),
  list: $<HTMLOListElement>('messages'),
  form: $<HTMLFormElement>('composer'),
  input: $<HTMLTextAreaElement>('input'),
  start: $<HTMLButtonElement>('start-chat'),
  startBody: $('start-body'),
  leave: $('leave'),
  leaveLink: $<HTMLButtonElement>('leave-link'),
  queueLeave: $<HTMLButtonElement>('queue-leave'),
  rateSlot: $('rate-slot'),
  notice: $('notice'),
  avatar: $('avatar'),
  tools: $('tools'),
  emoji: $<HTMLButtonElement>('emoji'),
  emojiPanel: $('emoji-panel'),
  image: $<HTMLButtonElement>('image'),
  file: $<HTMLButtonElement>('file'),
  shot: $<HTMLButtonElement>('shot'),
  heart: $<HTMLButtonElement>('heart'),
  save: $<HTMLButtonElement>('save'),
  picker: $<HTMLInputElement>('picker'),
  restart: $<HTMLButtonElement>('restart'),
  end: $<HTMLButtonElement>('end'),
  close: $<HTMLButtonElement>('close'),
};

export function applyTexts(lang: string) {
  document.documentElement.lang = lang;
  document.title = t('title');
  document.querySelectorAll<HTMLElement>('[data-i18n]').forEach((n) => (n.textContent = t(n.dataset.i18n as Key)));
  document.querySelectorAll<HTMLElement>('[data-i18n-label]').forEach((n) => n.setAttribute('aria-label', t(n.dataset.i18nLabel as Key)));
  document.querySelectorAll<HTMLElement>('[data-i18n-placeholder]').forEach((n) => n.setAttribute('placeholder', t(n.dataset.i18nPlaceholder as Key)));
  el.list.querySelectorAll<HTMLElement>('.msg').forEach((n) => paintMeta(n));
}

export const setState = (s: State) => (el.app.dataset.state = s);
export const setStatus = (text: string) => (el.status.textContent = text);
/** The serving agent's name in the header, with an initial on the theme colour as the avatar (AVATAR-RENDER-3). */
export function setAgent(name: string | null) {
  el.agent.textContent = name ? t('serving', { name }) : '';
  el.avatar.textContent = name ? [...name][0].toUpperCase() : '';
  el.avatar.hidden = !name;
}

/** The survey card of a pushed rating request (EVAL-PUSH-9), drawn by main.ts. */
let drawRatingCard: (box: HTMLElement) => void = () => undefined;
export const onRatingCard = (fn: typeof drawRatingCard) => (drawRatingCard = fn);

const rows = new Map<string, HTMLLIElement>();

function paintMeta(li: HTMLElement) {
  const meta = li.querySelector('.meta');
  const name = li.querySelector('.name');
  if (name && li.classList.contains('visitor')) name.textContent = t('you');
  if (!meta) return;
  const state = li.dataset.state as SendState | undefined;
  const time = li.dataset.time ? new Date(li.dataset.time).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '';
  const progress = li.dataset.progress ? t('uploading', { n: li.dataset.progress }) : '';
  const shown = li.dataset.error || progress || (state ? t(state) : '');
  meta.textContent = li.classList.contains('visitor') && shown ? [time, shown].filter(Boolean).join(' · ') : time;
}

/** Adds or updates one message, kept in seq order; messages still sending stay at the end. */
export function upsert(m: Shown) {
  let li = rows.get(m.clientId);
  const rated = m.kind === 'rating' && m.senderKind === 'visitor';
  if (!li) {
    li = document.createElement('li');
    li.className = `msg ${rated ? 'system' : m.senderKind}`;
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = m.senderKind === 'agent' ? m.senderName || t('agent') : '';
    const text = document.createElement('div');
    text.className = 'text';
    const meta = document.createElement('span');
    meta.className = 'meta';
    if (m.senderKind !== 'system' && !rated) li.append(name);
    li.append(text, meta);
    rows.set(m.clientId, li);
  }
  const box = li.querySelector('.text') as HTMLElement;
  if (m.kind === 'image' || m.kind === 'file') {
    li.classList.add('media');
    drawFile(box, m.kind, (m.payload ?? {}) as FilePayload, m.preview);
  } else if (m.kind === 'rating' && m.payload?.request) {
    if (!box.firstChild) drawRatingCard(box);
  } else if (rated) box.textContent = t('rated', { label: t(`rate${m.payload?.score}` as Key) });
  else if (m.kind === 'form') {
    li.classList.toggle('has-card', m.senderKind !== 'visitor');
    drawInfoForm(box, m);
  } else if (m.kind === 'card') {
    li.classList.add('has-card');
    drawCard(box, m.text, m.payload);
  } else if (m.senderKind === 'visitor') box.textContent = m.text ?? '';
  else if (m.senderKind === 'system' && m.payload?.event === 'help.joined') box.textContent = t('helpJoined', { name: String(m.payload.agentNickname ?? '') });
  else {
    linkify(box, m.text ?? '');
    // CONV-FONT-13: the agent's palette colour and bold, from the code the message carries.
    const look = m.senderKind === 'agent' ? shownStyle(m.payload) : null;
    box.style.color = look?.color?.light ?? '';
    box.classList.toggle('bold', !!look?.bold);
  }
  if (m.senderId) li.dataset.sender = m.senderId;
  if (m.createdAt) li.dataset.time = m.createdAt;
  if (m.state) li.dataset.state = m.state;
  if (m.seq !== undefined) li.dataset.seq = String(m.seq);
  if (m.progress !== undefined) li.dataset.progress = String(m.progress);
  else delete li.dataset.progress;
  if (m.error) li.dataset.error = m.error;
  else delete li.dataset.error;
  paintMeta(li);
  place(li, m.seq);
  el.list.scrollTop = el.list.scrollHeight;
}

function place(li: HTMLLIElement, seq: number | undefined) {
  let before: Element | null = null;
  for (const c of Array.from(el.list.children)) {
    if (c === li) continue;
    const s = (c as HTMLElement).dataset.seq;
    if (seq === undefined ? false : s === undefined || Number(s) > seq) {
      before = c;
      break;
    }
  }
  if (li.parentNode !== el.list || li.nextSibling !== before) el.list.insertBefore(li, before);
}

export function clearMessages() {
  rows.clear();
  el.list.textContent = '';
}

export function removeRow(clientId: string) {
  rows.get(clientId)?.remove();
  rows.delete(clientId);
}
