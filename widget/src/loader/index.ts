/**
 * loader.js: the only script a customer's page loads until the chat is opened.
 * Installs `window.Kefu` (replaying calls queued by the snippet's stub), draws the
 * icons in a shadow root, keeps a small realtime link for invitations and proactive
 * chats, and opens the chat frame (an iframe from the Kefu server).
 *
 * Several icon codes on one page (ICON-RENDER-8) each run this file; the first copy
 * serves them all through `window.Kefu.__add`, so a company has one visitor, one live
 * link and one chat frame however many icons it draws. Another company's snippet on
 * the same page gets its own, separate set (its storage keys differ too).
 */
import { pickLanguage } from '../shared/lang.ts';
import { connectLive, type Live } from './live.ts';
import { notify, stopNotify } from './notify.ts';
import { TEXTS } from './texts.ts';
import type { InvitationLook, InvitationWords } from '../invite/index.ts';
import { drawUi, type Icon, type WidgetUi } from './ui.ts';

type Handler = (data?: unknown) => void;
type Event = 'ready' | 'open' | 'close' | 'unread' | 'message';
interface Stub {
  q?: [string, unknown[]][];
  __add?: (script: HTMLScriptElement) => void;
}
/** A drawn icon and its latest settings (`/api/widget/setup` for its key). */
type Drawn = { ui?: Icon; c?: any };

const whenBody = (fn: () => void) => (document.body ? fn() : document.addEventListener('DOMContentLoaded', fn));

/** One company's widget; `stub` is set for the first one, which becomes `window.Kefu`. Answers how to add an icon by key. */
function boot(script: HTMLScriptElement, stub?: Stub): (key: string) => void {
  const company = script.dataset.company!;
  const frameUrl = new URL('frame.html', script.src);
  const origin = frameUrl.origin;
  const key = (k: string) => `kefu:${company}:${k}`;
  let lang = pickLanguage(script.dataset.lang || navigator.language);
  let langSet = !!script.dataset.lang;
  let ui: WidgetUi | null = null;
  // ICON-CODE-2: each snippet's icon key picks its icon's look and binding. The chat opens from `active`; the frame was made for `framed`.
  const icons: Record<string, Drawn> = {};
  let active: string | undefined;
  let main: string | undefined;
  let framed = '';
  const others: Record<string, (key: string) => void> = {};
  let iframe: HTMLIFrameElement | null = null;
  let popup: Window | null = null;
  let live: Live | null = null;
  /** The company's settings (invitation words, sound, mobile window): the first icon's answer. */
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
  // Host-page storage: the token lasts (localStorage), the open panel lasts the visit (sessionStorage).
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
    const body = { companyId: Number(company), token: token(), url: location.href, title: document.title, referrer: document.referrer || undefined, language: navigator.language, iconKey: main || undefined };
    return fetch(origin + '/api/widget/pageview', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), keepalive: true })
      .then((r) => (r.ok ? r.json() : null))
      .then((d) => { if (d && d.token) store('localStorage', 'token', d.token); })
      .catch(() => undefined)
      .then(() => {
        live = live || connectLive(origin, () => ({ companyId: Number(company), token: token() }), onPush);
        profiles.splice(0).forEach(profile);
      });
  };

  // DISPLAY-BLOCKCHAT-13: a blocked visitor sees every icon offline; the server says so on connect and when a block starts or ends.
  let blocked = false;
  const lookOf = (c: any, s = c.style || {}) => ({ type: c.icon?.type || 'float', color: s.themeColor || '#1677ff', text: s.themeText, left: /left/.test(s.position), marginX: s.marginX ?? 20, marginY: s.marginY ?? 20, width: s.width || 380, height: s.height || 560, img: c.icon?.image });
  // ICON-STATE-7: online or offline look, refreshed while the page is visible.
  const loadConfig = (key: string) =>
    fetch(`${origin}/api/widget/setup?c=${company}&i=${key}`)
      // ICON-RENDER-8: an unknown or deleted icon key warns once and draws nothing.
      .then((r) => (r.ok ? r.json() : (r.status == 404 && key && icons[key]?.ui && (console.warn('[Kefu] unknown icon key', key), icons[key].ui!.drop(), delete icons[key], (active = main = Object.keys(icons)[0])), null)))
      .then((c) => {
        const i = icons[key];
        if (!c || !i?.ui) return;
        // WINDOW-INPAGE-8: a company may fix the window's language; the page's own choice (data-lang, setLanguage) wins.
        if (!config && !langSet && c.style?.language != 'auto') lang = pickLanguage(c.style?.language || lang);
        if (!config || key == main) config = c;
        i.c = c;
        phone = (innerWidth < 600 || /Mobi|Android/.test(navigator.userAgent)) && c.mobile;
        // MOBILE-ICON-2: the server sends the mobile icon as a look (round or bar, size, side, offsets) and whether it is hidden.
        i.ui.setLook(Object.assign(lookOf(c), phone && phone.icon));
        i.ui.button.hidden = phone && phone.icon.hidden;
        i.ui.setOnline(!!c.online && !blocked);
        label(i);
      })
      // A server that cannot be reached: offline, in the default look until a config ever arrived (a later failed refresh keeps it).
      .catch(() => {
        const i = icons[key];
        if (!i?.ui) return;
        if (!i.c) i.ui.setLook(lookOf({}));
        i.ui.setOnline(false);
      });
  const refresh = () => Object.keys(icons).forEach(loadConfig);
  const setBlocked = (b: boolean) => {
    blocked = b;
    Object.values(icons).forEach((i) => i.ui && i.c && (i.ui.setOnline(!!i.c.online && !b), label(i)));
  };
  const label = ({ ui: u, c }: Drawn) => {
    const t = tx();
    const type = c?.icon?.type;
    u?.setLabel(c?.icon?.alt?.[lang] || t.label, phone ? phone.icon.guide[lang] : type === 'text' || type === 'fixed' ? (c?.online === false || blocked ? t.offline : c?.texts?.[lang]?.guide || t.online) : '');
  };
  /** Draws the icon of a snippet once, however often it is embedded. */
  const add = (key: string) => {
    if (icons[key]) return;
    const i: Drawn = (icons[key] = {});
    if (main == null) main = active = key;
    whenBody(() => {
      i.ui = (ui = ui || drawUi()).add(key, () => (isOpen && key == active ? api.close() : show(key)));
      label(i);
      void loadConfig(key);
    });
  };

  /**
   * An invitation the server pushes — an agent's or an automatic one (INVITE-RENDER-7, INVITE-POPUP-2), in the
   * visitor's language with its display time — or the server's automatic proactive greeting (POLICY-PROACTIVE-2,
   * `greeting`, in the settings' invitation words), declined with `proactive.close`: accept opens the chat.
   * invite.js draws it in the company's mode and style; it is loaded on the first one, so the loader stays small.
   */
  let shown = 0;
  const invite = (inv?: InvitationWords & Pick<InvitationLook, 'mode' | 'agent'> & { id: number; displaySeconds: number }, greeting?: string) => {
    const c = config?.invite;
    const t = inv || (c && { ...(c.texts[lang] || c.texts.en), text: greeting });
    if (isOpen || hideInvite || !ui || !t) return;
    const me = ++shown;
    // Until drawn, hiding only stops the drawing.
    hideInvite = () => shown++;
    const answer = (accepted: boolean | null) => {
      hideInvite = null;
      // The window opens once the server has made the conversation, so its first session already holds it.
      if (inv) return accepted !== null && live?.emit('invitation.respond', { invitationId: inv.id, accept: accepted }).then(() => accepted && api.open());
      if (!accepted) return live?.emit('proactive.close', {});
      pendingStart = true;
      api.open();
      if (ready && iframe) post({ type: 'kefu:start' });
    };
    import(/* @vite-ignore */ origin + '/widget/invite.js')
      .then((m) => {
        if (me != shown) return;
        // A manual invitation may come before the settings: it then takes the default look.
        const look = { mode: inv?.mode || c.mode, style: c?.style, theme: config?.style?.themeColor, agent: inv?.agent, base: origin };
        hideInvite = m.showInvitation(t, look, inv ? inv.displaySeconds * 1000 : 0, answer);
      })
      .catch(() => me == shown && (hideInvite = null));
  };

  function onPush(event: string, p: any) {
    if (event === 'session') {
      if (p.token) store('localStorage', 'token', p.token);
      hasChat = !!p.conversation;
      setBlocked(!!p.blocked);
    } else if (event === 'service.blocked') setBlocked(p.blocked);
    else if (event === 'conversation.updated') hasChat = p.conversation.status !== 'ended';
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

  /** Opens the chat from the icon `key`: its binding scopes a new chat; a running chat stays as it is. */
  const show = (key: string) => {
    const by = icons[key]?.ui;
    if (!ui || !by) return;
    if (hideInvite) hideInvite(), (hideInvite = null);
    const page = `${origin}/chat/${company}/${key}?lang=${lang}`;
    const s = icons[key]!.c?.style;
    // MOBILE-WINDOW-3 打开方式 separate page: the hosted chat page; the browser's back returns here.
    if (phone) {
      if (phone.openMode == 'page') return void (location.href = page);
      // WINDOW-OPEN-7 新窗口: the hosted page in a window of its own (a new tab when windows are blocked), given this visitor.
    } else if (s?.openMode == 'window') return void (popup = open(page, 'kefu' + company, `width=${s.windowWidth},height=${s.windowHeight}`) || open(page));
    active = key;
    // One frame for every icon: another icon, with no chat running, gets a window made for its own binding.
    if (iframe && framed != key && !hasChat) ui.dropFrame(), (iframe = null);
    if (!iframe) {
      frameUrl.search = '' + new URLSearchParams({ c: company, lang, i: (framed = key) });
      iframe = ui.frame(frameUrl.href, tx().label);
    }
    ui.setOpen(true, by);
    if (isOpen) return;
    isOpen = true;
    unread = 0;
    stopNotify();
    ui.setUnread(0);
    store('sessionStorage', 'open', '1');
    post({ type: 'kefu:visible', open: true });
    emit('open');
  };
  const api = {
    open: () => show(active!),
    close() {
      const by = icons[active!]?.ui;
      if (!ui || !by || !isOpen) return;
      isOpen = false;
      ui.setOpen(false, by);
      store('sessionStorage', 'open', null);
      post({ type: 'kefu:visible', open: false });
      by.button.focus();
      emit('close');
    },
    toggle() {
      isOpen ? api.close() : api.open();
    },
    setLanguage(l: string) {
      lang = pickLanguage(l);
      langSet = true;
      Object.values(icons).forEach(label);
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
      store('sessionStorage', 'open', null);
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
    /** Another loader snippet on this page: its icon joins this widget, or its company gets its own. */
    __add(s: HTMLScriptElement) {
      const c = s.dataset.company!;
      const key = s.dataset.icon || '';
      c == company ? add(key) : (others[c] = others[c] || boot(s))(key);
    },
  };
  if (stub) (window as unknown as { Kefu: Stub }).Kefu = api;

  window.addEventListener('message', (e) => {
    const m = e.data as { type?: string; message?: unknown };
    if (e.origin !== origin || !e.source || (e.source !== iframe?.contentWindow && e.source !== popup)) return;
    if (m?.type === 'kefu:hello') (e.source as Window).postMessage({ type: 'kefu:init', token: token(), page: location.href }, origin);
    else if (e.source == popup) return;
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
    refresh();
  });
  setInterval(() => !document.hidden && refresh(), 30_000);

  add(script.dataset.icon || '');
  whenBody(() => {
    void pageView();
    // Replay what the page asked for before we arrived (the snippet's queue stub).
    for (const [m, args] of stub?.q || []) {
      const fn = (api as unknown as Record<string, (...a: unknown[]) => void>)[m];
      if (typeof fn === 'function') fn(...args);
    }
    if (store('sessionStorage', 'open') === '1') api.open();
    ready = true;
    emit('ready');
  });
  return add;
}

try {
  const w = window as unknown as { Kefu?: Stub };
  const script = (document.currentScript as HTMLScriptElement | null) || document.querySelector<HTMLScriptElement>('script[data-company][src*="loader.js"]');
  if (!script || !/^\d{1,12}$/.test(script.dataset.company || '')) console.warn('[Kefu] invalid data-company: no chat widget');
  // A loader already runs on this page (several icon codes, or one included twice): it draws this snippet's icon.
  else if (w.Kefu?.__add) w.Kefu.__add(script);
  else boot(script, w.Kefu || {});
} catch (err) {
  // Never throw into the host page.
  console.warn('[Kefu] widget failed to start', err);
}
