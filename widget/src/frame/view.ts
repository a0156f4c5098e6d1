/** DOM of the chat window. Message text is only ever set with textContent. */
import type { MessageView } from '@kefu/core/protocol';
import { t, type Key } from './i18n.ts';

export type State = 'loading' | 'start' | 'queued' | 'active' | 'ended';
export type SendState = 'sending' | 'sent' | 'failed';
/** What the list shows: a stored message, or one still in the outbox. */
export interface Shown {
  clientId: string;
  seq?: number;
  senderKind: MessageView['senderKind'] | 'visitor';
  senderName?: string | null;
  text: string | null;
  createdAt?: string;
  state?: SendState;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
export const el = {
  app: $('app'),
  status: $('status'),
  agent: $('agent'),
  list: $<HTMLOListElement>('messages'),
  form: $<HTMLFormElement>('composer'),
  input: $<HTMLTextAreaElement>('input'),
  start: $<HTMLButtonElement>('start-chat'),
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
export const setAgent = (name: string | null) => (el.agent.textContent = name ? t('serving', { name }) : '');

const rows = new Map<string, HTMLLIElement>();

function paintMeta(li: HTMLElement) {
  const meta = li.querySelector('.meta');
  const name = li.querySelector('.name');
  if (name && li.classList.contains('visitor')) name.textContent = t('you');
  if (!meta) return;
  const state = li.dataset.state as SendState | undefined;
  const time = li.dataset.time ? new Date(li.dataset.time).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '';
  meta.textContent = li.classList.contains('visitor') && state ? [time, t(state)].filter(Boolean).join(' · ') : time;
}

/** Adds or updates one message, kept in seq order; messages still sending stay at the end. */
export function upsert(m: Shown) {
  let li = rows.get(m.clientId);
  if (!li) {
    li = document.createElement('li');
    li.className = `msg ${m.senderKind}`;
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = m.senderKind === 'agent' ? m.senderName || t('agent') : '';
    const text = document.createElement('div');
    text.className = 'text';
    const meta = document.createElement('span');
    meta.className = 'meta';
    if (m.senderKind !== 'system') li.append(name);
    li.append(text, meta);
    rows.set(m.clientId, li);
  }
  (li.querySelector('.text') as HTMLElement).textContent = m.text ?? '';
  if (m.createdAt) li.dataset.time = m.createdAt;
  if (m.state) li.dataset.state = m.state;
  if (m.seq !== undefined) li.dataset.seq = String(m.seq);
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
