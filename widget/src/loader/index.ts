/**
 * loader.js: the only script a customer's page loads until the chat is opened.
 * Installs `window.Kefu` (replaying calls queued by the snippet's stub), draws the
 * button in a shadow root, and opens the chat frame (an iframe from the Kefu server).
 */
import { pickLanguage } from '../shared/lang.ts';
import { drawUi, type WidgetUi } from './ui.ts';

type Handler = (data?: unknown) => void;
type Event = 'ready' | 'open' | 'close' | 'unread';
interface Stub {
  q?: [string, unknown[]][];
  __kefu?: boolean;
}

const LABELS: Record<string, string> = { 'zh-CN': '在线客服', 'zh-TW': '線上客服', en: 'Chat with us', ja: 'チャットで相談', ko: '채팅 상담' };

function start() {
  const w = window as unknown as { Kefu?: Stub };
  const stub: Stub = w.Kefu || {};
  if (stub.__kefu) {
    console.warn('[Kefu] loader.js is included twice on this page; the second copy does nothing.');
    return;
  }
  const script = (document.currentScript as HTMLScriptElement | null) || document.querySelector<HTMLScriptElement>('script[data-company][src*="loader.js"]');
  const company = script?.dataset.company || '';
  if (!script || !/^\d{1,12}$/.test(company)) {
    console.warn('[Kefu] missing or invalid data-company on the loader script: the chat widget is not shown.');
    return;
  }
  const frameUrl = new URL('frame.html', script.src);
  const origin = frameUrl.origin;
  const openKey = `kefu:${company}:open`;
  let lang = pickLanguage(script.dataset.lang || navigator.language);
  let ui: WidgetUi | null = null;
  let iframe: HTMLIFrameElement | null = null;
  let isOpen = false;
  let unread = 0;
  let ready = false;
  const handlers: Partial<Record<Event, Handler[]>> = {};
  const tokenKey = `kefu:${company}:token`;
  const stored = (): string | undefined => { try { return localStorage.getItem(tokenKey) || undefined; } catch { return undefined; } };

  const emit = (e: Event, data?: unknown) => (handlers[e] || []).slice().forEach((fn) => { try { fn(data); } catch (err) { console.error(err); } });
  const post = (m: Record<string, unknown>) => iframe?.contentWindow?.postMessage(m, origin);
  const remember = (v: boolean) => { try { v ? sessionStorage.setItem(openKey, '1') : sessionStorage.removeItem(openKey); } catch { /* storage blocked */ } };

  // The live trail fills with the chat closed: a small beacon, no realtime client (VISITOR-ARRIVE-2).
  const pageView = () => {
    const body = { companyId: Number(company), token: stored(), url: location.href, title: document.title, referrer: document.referrer || undefined, language: navigator.language };
    fetch(origin + '/api/widget/pageview', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), keepalive: true })
      .then((r) => (r.ok ? r.json() : null))
      .then((d) => { if (d && d.token) try { localStorage.setItem(tokenKey, d.token); } catch { /* storage blocked */ } })
      .catch(() => undefined);
  };

  const api = {
    __kefu: true,
    open() {
      if (!ui) return;
      if (!iframe) {
        frameUrl.search = new URLSearchParams({ c: company, lang }).toString();
        iframe = ui.frame(frameUrl.href, LABELS[lang]);
      }
      if (isOpen) return;
      isOpen = true;
      unread = 0;
      ui.setUnread(0);
      ui.setOpen(true);
      remember(true);
      post({ type: 'kefu:visible', open: true });
      emit('open');
    },
    close() {
      if (!ui || !isOpen) return;
      isOpen = false;
      ui.setOpen(false);
      remember(false);
      post({ type: 'kefu:visible', open: false });
      ui.button.focus();
      emit('close');
    },
    toggle() {
      isOpen ? api.close() : api.open();
    },
    setLanguage(l: string) {
      lang = pickLanguage(l);
      ui?.setLabel(LABELS[lang]);
      post({ type: 'kefu:lang', lang });
    },
    on(e: Event, fn: Handler) {
      if (typeof fn !== 'function') return;
      (handlers[e] = handlers[e] || []).push(fn);
      if (e === 'ready' && ready) fn();
    },
    off(e: Event, fn: Handler) {
      handlers[e] = (handlers[e] || []).filter((h) => h !== fn);
    },
  };
  w.Kefu = api;

  window.addEventListener('message', (e) => {
    if (!iframe || e.source !== iframe.contentWindow || e.origin !== origin) return;
    const m = e.data as { type?: string };
    if (m?.type === 'kefu:hello') post({ type: 'kefu:init', token: stored() });
    else if (m?.type === 'kefu:ready') post({ type: 'kefu:visible', open: isOpen }); else if (m?.type === 'kefu:close') api.close();
    else if (m?.type === 'kefu:message' && !isOpen) {
      unread++;
      ui?.setUnread(unread);
      emit('unread', unread);
    }
  });
  // Single-page sites: report navigations too.
  window.addEventListener('popstate', pageView);
  window.addEventListener('hashchange', pageView);

  const draw = () => {
    ui = drawUi(() => api.toggle());
    ui.setLabel(LABELS[lang]);
    pageView();
    // Replay what the page asked for before we arrived (the snippet's queue stub).
    for (const [m, args] of stub.q || []) {
      const fn = (api as unknown as Record<string, (...a: unknown[]) => void>)[m];
      if (typeof fn === 'function') fn(...args);
    }
    let reopen = false;
    try { reopen = sessionStorage.getItem(openKey) === '1'; } catch { /* storage blocked */ }
    if (reopen) api.open();
    ready = true;
    emit('ready');
  };
  if (document.body) draw();
  else document.addEventListener('DOMContentLoaded', draw);
}

try {
  start();
} catch (err) {
  // Never throw into the host page.
  console.warn('[Kefu] widget failed to start', err);
}
