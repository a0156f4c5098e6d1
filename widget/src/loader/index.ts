/**
 * loader.js: the only script a customer's page loads until the chat is opened.
 * Installs `window.Kefu` (replaying calls queued by the snippet's stub), draws the
 * icon in a shadow root, keeps a small realtime link for invitations and proactive
 * chats, and opens the chat frame (an iframe from the Kefu server).
 */
import { pickLanguage } from '../shared/lang.ts';
import { connectLive, type Live } from './live.ts';
import { notify, stopNotify } from './notify.ts';
import { TEXTS } from './texts.ts';
import { drawUi, type WidgetUi } from './ui.ts';

type Handler = (data?: unknown) => void;
type Event = 'ready' | 'open' | 'close' | 'unread' | 'message';
interface Stub {
  q?: [string, unknown[]][];
  __kefu?: boolean;
}

function start() {
  const w = window as unknown as { Kefu?: Stub };
  const stub: Stub = w.Kefu || {};
  if (stub.__kefu) {
    console.warn('[Kefu] loader.js is included twice on this page; the second copy does nothing.');
    return;
  }
  const script = (document.currentScript as HTMLScriptElement | null) || document.querySelector<HTMLScriptElement>('script[data-company][src*="loader.js"]');
  const company = script?.dataset.company || '';
  // ICON-CODE-2: the snippet's icon key picks the icon's look and binding.
  const icon = script?.dataset.icon || '';
  if (!script || !/^\d{1,12}$/.test(company)) {
    console.warn('[Kefu] missing or invalid data-company on the loader script: the chat widget is not shown.');
    return;
  }
  const frameUrl = new URL('frame.html', script.src);
  const origin = frameUrl.origin;
  const key = (k: string) => `kefu:${company}:${k}`;
  let lang = pickLanguage(script.dataset.lang || navigator.language);
  let ui: WidgetUi | null = null;
  let iframe: HTMLIFrameElement | null = null;
  let live: Live | null = null;
  let config: any = null;
  /** MOBILE-SWITCH-1: the mobile window's settings while this is a phone or tablet (or a viewport under 600 px) and it is on. */
  let phone: any = null;
  let isOpen = false;
  let unread = 0;
  let ready = false;
  let hasChat = false;
  let pendingStart = false;
  let hideInvite: (() => void) | null = null;
  const handlers: Partial<Record<Event, Handler[]>> = {};
  const tx = () => TEXTS[lang] || TEXTS.en;
  // Host-page storage: the token lasts (localStorage), the open panel and invitation counts last the visit (sessionStorage).
  const store = (s: 'localStorage' | 'sessionStorage', k: string, v?: string | null): string | null => {
    try {
      if (v === undefined) return window[s].getItem(key(k));
      v === null ? window[s].removeItem(key(k)) : window[s].setItem(key(k), v);
    } catch {
      /* storage blocked */
    }
    return null;
  };
  const token = () => store('localStorage', 'token') || undefined;

  const emit = (e: Event, data?: unknown) => (handlers[e] || []).slice().forEach((fn) => { try { fn(data); } catch (err) { console.error(err); } });
  const post = (m: Record<string, unknown>) => iframe?.contentWindow?.postMessage(m, origin);
  const bump = () => {
    unread++;
    ui?.setUnread(unread);
    emit('unread', unread);
    notify(tx().newMsg, config?.toolbar?.sound !== false);
  };

  // The live trail fills with the chat closed: a small beacon (VISITOR-ARRIVE-2), then the realtime link as the same visitor.
  const pageView = () => {
    const body = { companyId: Number(company), token: token(), url: location.href, title: document.title, referrer: document.referrer || undefined, language: navigator.language, iconKey: icon || undefined };
    return fetch(origin + '/api/widget/pageview', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), keepalive: true })
      .then((r) => (r.ok ? r.json() : null))
      .then((d) => { if (d && d.token) store('localStorage', 'token', d.token); })
      .catch(() => undefined)
      .then(() => {
        live = live || connectLive(origin, () => ({ companyId: Number(company), token: token() }), onPush);
        profiles.splice(0).forEach(profile);
      });
  };

  // ICON-STATE-7: online or offline look, refreshed while the page is visible.
  const loadConfig = () =>
    fetch(`${origin}/api/widget/setup?c=${company}&i=${icon}`)
      // ICON-RENDER-8: an unknown or deleted icon key warns once and draws nothing.
      .then((r) => (r.ok ? r.json() : (r.status == 404 && icon && ui?.button.isConnected && (console.warn('[Kefu] unknown icon key', icon), ui.button.remove()), null)))
      .then((c) => {
        if (!c || !ui) return;
        const first = !config;
        config = c;
        const s = c.style || {};
        phone = (innerWidth < 600 || /Mobi|Android/.test(navigator.userAgent)) && c.mobile;
        const look = { type: c.icon?.type || 'float', color: s.themeColor || '#1677ff', left: /left/.test(s.position), marginX: s.marginX ?? 20, marginY: s.marginY ?? 20, width: s.width || 380, height: s.height || 560 };
        // MOBILE-ICON-2: the server sends the mobile icon as a look (round or bar, size, side, offsets) and whether it is hidden.
        ui.setLook(Object.assign(look, phone && phone.icon));
        ui.button.hidden = phone && phone.icon.hidden;
        ui.setOnline(!!c.online);
        label();
        if (first) autoInvite();
      })
      .catch(() => ui?.setOnline(false));
  const label = () => {
    const t = tx();
    const type = config?.icon?.type;
    ui?.setLabel(t.label, phone ? phone.icon.guide[lang] : type === 'text' || type === 'fixed' ? (config?.online === false ? t.offline : t.online) : '');
  };

  /**
   * Manual (from an agent, `inv` set) or automatic invitation (INVITE-RENDER-7), or the server's automatic
   * proactive greeting (POLICY-PROACTIVE-2, `greeting`), which ends this visit's automatic invitations and is
   * declined with `proactive.close`: accept opens the chat.
   */
  const invite = (inv?: { id: number; text: string | null }, greeting?: string) => {
    if (isOpen || hideInvite || !ui) return;
    const texts = config?.invite?.texts;
    const t = texts && (texts[lang] || texts.en);
    if (!t) return;
    const count = JSON.parse(store('sessionStorage', 'inv') || '{"n":0}');
    if (!inv) store('sessionStorage', 'inv', JSON.stringify({ n: greeting ? 1e9 : count.n + 1 }));
    hideInvite = ui.invite(
      { ...t, text: greeting || (inv && inv.text) || t.text },
      greeting ? 0 : (config?.invite?.displaySeconds ?? 20) * 1000,
      (accepted) => {
        hideInvite = null;
        // The window opens once the server has made the conversation, so its first session already holds it.
        if (inv) return accepted !== null && live?.emit('invitation.respond', { invitationId: inv.id, accept: accepted }).then(() => accepted && api.open());
        if (!greeting) store('sessionStorage', 'inv', JSON.stringify({ n: count.n + 1, last: Date.now() }));
        if (!accepted) return greeting ? live?.emit('proactive.close', {}) : autoInvite();
        pendingStart = true;
        api.open();
        if (ready && iframe) post({ type: 'kefu:start' });
      },
    );
  };
  /** INVITE-POPUP-2: after the time on site, at most N per visit, with a pause between them; counted across pages. */
  const autoInvite = () => {
    const s = config?.invite;
    if (!s?.auto) return;
    if (!store('sessionStorage', 'visit')) store('sessionStorage', 'visit', String(Date.now()));
    const count = JSON.parse(store('sessionStorage', 'inv') || '{"n":0}');
    if (count.n >= s.maxPerVisit) return;
    const at = Math.max(Number(store('sessionStorage', 'visit')) + s.delaySeconds * 1000, count.last ? count.last + s.intervalSeconds * 1000 : 0);
    setTimeout(() => {
      if (config.online && !hasChat) invite();
      else autoInvite();
    }, Math.max(0, at - Date.now()) + 50);
  };

  function onPush(event: string, p: any) {
    if (event === 'session') {
      if (p.token) store('localStorage', 'token', p.token);
      hasChat = !!p.conversation;
    } else if (event === 'conversation.updated') hasChat = p.conversation.status !== 'ended';
    else if (event === 'invitation') invite(p.invitation);
    else if (event === 'proactive.greeting') invite(undefined, p.text);
    else if (event === 'invitation.closed' && hideInvite) {
      hideInvite();
      hideInvite = null;
    } else if (event === 'proactive.open') {
      hasChat = true;
      // POLICY-PROACTIVE-3: someone typing in the page is not interrupted; the badge says there is a message.
      const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement?.tagName || '');
      if (typing) bump();
      else api.open();
    } else if (event === 'message' && !iframe && p.message.senderKind !== 'visitor') {
      emit('message', p.message);
      bump();
    }
  }

  // SDK profile calls wait for the realtime link, which starts once the beacon has named the visitor.
  const profiles: object[] = [];
  const profile = (p: object) =>
    live ? live.emit('profile.set', p).then((r) => r && r.error && console.warn('[Kefu] setUser/setAttributes:', r.error.message)) : profiles.push(p);

  const api = {
    __kefu: true,
    open() {
      if (!ui) return;
      if (hideInvite) hideInvite(), (hideInvite = null);
      // MOBILE-WINDOW-3 打开方式 separate page: the hosted chat page; the browser's back returns here.
      if (phone && phone.openMode == 'page') return void (location.href = `${origin}/chat/${company}/${icon}?lang=${lang}`);
      if (!iframe) {
        frameUrl.search = new URLSearchParams({ c: company, lang, i: icon }).toString();
        iframe = ui.frame(frameUrl.href, tx().label);
      }
      if (isOpen) return;
      isOpen = true;
      unread = 0;
      stopNotify();
      ui.setUnread(0);
      ui.setOpen(true);
      store('sessionStorage', 'open', '1');
      post({ type: 'kefu:visible', open: true });
      emit('open');
    },
    close() {
      if (!ui || !isOpen) return;
      isOpen = false;
      ui.setOpen(false);
      store('sessionStorage', 'open', null);
      post({ type: 'kefu:visible', open: false });
      ui.button.focus();
      emit('close');
    },
    toggle() {
      isOpen ? api.close() : api.open();
    },
    setLanguage(l: string) {
      lang = pickLanguage(l);
      label();
      post({ type: 'kefu:lang', lang });
    },
    /** Shown to agents; without a verified member token (member-sso) it is never an identity. */
    setUser(u: Record<string, unknown>) {
      if (!u || typeof u !== 'object') return;
      const user: Record<string, unknown> = {};
      for (const k of ['id', 'name', 'email', 'phone']) if (u[k] != null && u[k] !== '') user[k] = u[k];
      profile({ user });
    },
    setAttributes(a: Record<string, unknown>) {
      if (a && typeof a === 'object') profile({ attributes: a });
    },
    /** The host site's logout: forget this visitor; the next page view is a new, anonymous one. */
    reset() {
      api.close();
      live?.close();
      live = null;
      ui?.dropFrame();
      iframe = null;
      ready = false;
      hasChat = false;
      for (const k of ['token', 'outbox']) store('localStorage', k, null);
      for (const k of ['open', 'inv', 'visit']) store('sessionStorage', k, null);
      return pageView();
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
    const m = e.data as { type?: string; message?: unknown };
    if (m?.type === 'kefu:hello') post({ type: 'kefu:init', token: token(), page: location.href });
    else if (m?.type === 'kefu:ready') {
      post({ type: 'kefu:visible', open: isOpen });
      if (pendingStart) post({ type: 'kefu:start' });
      pendingStart = false;
    } else if (m?.type === 'kefu:close') api.close();
    else if (m?.type === 'kefu:message') {
      emit('message', m.message);
      if (!isOpen || document.hidden) bump();
    }
  });
  // Single-page sites: report navigations too.
  window.addEventListener('popstate', pageView);
  window.addEventListener('hashchange', pageView);
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) return;
    if (isOpen) stopNotify();
    void loadConfig();
  });
  setInterval(() => !document.hidden && loadConfig(), 30_000);

  const draw = () => {
    ui = drawUi(() => api.toggle());
    label();
    void pageView();
    void loadConfig();
    // Replay what the page asked for before we arrived (the snippet's queue stub).
    for (const [m, args] of stub.q || []) {
      const fn = (api as unknown as Record<string, (...a: unknown[]) => void>)[m];
      if (typeof fn === 'function') fn(...args);
    }
    if (store('sessionStorage', 'open') === '1') api.open();
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
