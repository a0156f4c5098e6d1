/**
 * The chat window (an iframe served by Kefu at /widget/frame.html?c=<companyId>&lang=<l>).
 * Talks to the `/visitor` namespace; every message typed goes through the Outbox,
 * which is kept in localStorage until acked so neither a reload nor a drop loses it.
 */
import { io } from 'socket.io-client';
import { Outbox, RealtimeError, visitorClient, type PendingSend } from '@kefu/core/protocol/client';
import type { ConversationView, MessageView } from '@kefu/core/protocol';
import { drawAd } from './ad.ts';
import { inLang, loadConfig, type WidgetConfig } from './config.ts';
import { useAvatars, showServing } from './avatars.ts';
import { askCaptcha, challengeOf, newChallenge, type Answer } from './captcha.ts';
import { setupEmoji } from './emoji.ts';
import { drawForm } from './forms.ts';
import { onPushedForm } from './info-form.ts';
import { drawEntries, type Entry } from './entries.ts';
import { language, setLanguage, t } from './i18n.ts';
import { fetchLinks, upload, useFileAuth } from './media.ts';
import { closeOnBack, forDevice } from './mobile.ts';
import { drawRating } from './rating.ts';
import { drawLeave, drawStart, externalLeaveUrl, setupQueue } from './screens.ts';
import { onCardButton } from './rich.ts';
import { drawTags } from './tags.ts';
import { downloadTranscript } from './transcript.ts';
import { setupTranscriptMail } from './transcript-mail.ts';
import { setupShots } from './shot.ts';
import { companyStore, uuid } from './storage.ts';
import { applyTexts, clearMessages, el, onRatingCard, removeRow, setAgent, setState, setStatus, upsert, type Shown } from './view.ts';
import './style.css';

const params = new URLSearchParams(location.search);
const company = params.get('c') || document.documentElement.dataset.company || '';
/** The embedded icon's key (ICON-CODE-2): the server scopes its chats by its binding. */
const iconKey = params.get('i') || document.documentElement.dataset.icon || '';
const embedded = window.parent !== window;
/** WINDOW-OPEN-7: the page whose loader opened this chat as a separate window hands over its visitor, as a parent does to the frame. */
const host: Window | null = embedded ? window.parent : window.opener;
const store = companyStore(company, embedded || !host);
setLanguage(params.get('lang') || navigator.language);
applyTexts(language());
if (!embedded) el.close.hidden = true;

let config: WidgetConfig | null = null;
let conv: ConversationView | null = null;
let lastSeq = 0;
/** CONV-READ-41: the newest agent message shown, and the one last reported as seen. */
let agentSeq = 0;
let seenSent = 0;
/** ICON-GROUP-6: the group-icon entry the visitor picked; it scopes the chat (and a leave-message) instead of any question type. */
let entry: Entry | null = null;
const entryScope = () => (entry ? { [entry.kind === 'group' ? 'groupId' : 'agentId']: entry.id } : {});
/** Whether the loader's panel is open; embedded, the loader says so once the frame is ready. */
let panelOpen = !embedded;
let position: number | null = null;
/** ASSIGN-POSITION-9: minutes, when the company shows an estimate. */
let estimate: number | null = null;
/** ASSIGN-OVERFLOW-10: the waiting conversation asked 继续等待 / 留言 and not answered yet. */
let askedFor: number | null = null;
let connected = false;
let leaving = false;
/** The host page's address, from the loader (for leave-messages and the external leave page). */
let page = embedded ? '' : location.href;
const rated = new Set<number>();
// Embedded (or opened as a window by the loader), the frame connects only once the loader has handed over the visitor token it keeps in the
// host page's first-party storage (its page-view beacon made it), so both are one visitor.
const socket = io('/visitor', { autoConnect: !host, auth: (cb) => cb({ companyId: Number(company), token: store.token() }) });
const client = visitorClient(socket);
/** Visitor events owned by other core modules (pre-chat, leave-message, rating): same ack and error shape. */
const call = client.call as (event: string, payload: unknown) => Promise<any>;
const toParent = (m: Record<string, unknown>) => embedded && window.parent.postMessage(m, '*');
useFileAuth({ companyId: company, token: () => store.token() });
if (embedded) closeOnBack(() => toParent({ type: 'kefu:close' }));

const shownPending = (p: PendingSend, state: Shown['state'] = 'sending'): Shown => ({ clientId: p.clientId, senderKind: 'visitor', text: p.text, state });
const shownStored = (m: MessageView): Shown => ({ ...m, state: m.senderKind === 'visitor' ? 'sent' : undefined });

const outbox = new Outbox<MessageView>(
  async (p) => {
    // Never let socket.io buffer a send while offline: it stays in the outbox and goes out on reconnect.
    if (!socket.connected) throw new RealtimeError('timeout', 'offline', { code: 'timeout', message: 'offline' });
    return (await client.call('message.send', p)).message;
  },
  {
    persist: (q) => store.saveOutbox(q),
    onSent: (_p, m) => received(m),
    onFailed: (p) => upsert(shownPending(p, 'failed')),
  },
  store.outbox(),
);

/** A block covering this visitor (DISPLAY-BLOCKCHAT-13): the window only shows that chat is unavailable, never why. */
let blocked = false;

function showStatus() {
  if (!navigator.onLine) return setStatus(t('offline'));
  if (!connected) return setStatus(t('connecting'));
  if (blocked && conv?.status !== 'active') return setStatus(t('unavailable'));
  if (conv?.status === 'queued')
    return setStatus(position ? [t('queue', { n: position }), ...(estimate ? [t('estimate', { n: estimate })] : [])].join(' ') : t('waiting'));
  setStatus('');
}

function render() {
  // Nobody can chat, or not from this region (REGION-RENDER-5): opening the window offers the leave-message form at once (LEAVESET-SWITCH-1).
  const cannotChat = !!config && (!config.online || (!config.region.served && config.region.leaveMessage));
  if (!leaving && !conv && connected && config && cannotChat && !config.leaveMessage.externalUrl && !blocked) return showLeave();
  setState(leaving ? 'leave' : conv ? conv.status : connected ? 'start' : 'loading');
  el.start.disabled = el.restart.disabled = blocked;
  setAgent(conv?.status === 'active' ? conv.agentNickname : null);
  showServing(conv?.status === 'active' ? conv.agentId : null, conv?.agentNickname ?? null);
  const tools = config?.toolbar;
  el.heart.hidden = !(tools?.rating ?? true) || !conv?.agentId || rated.has(conv.id);
  el.save.hidden = tools?.saveTranscript === false || !conv;
  mailTool.show(tools?.emailTranscript === true && !!conv);
  queue.show(conv?.status === 'queued', !!config?.leaveMessage.enabled);
  if (conv?.status === 'queued' && conv.id === askedFor) queue.ask();
  el.image.hidden = tools?.image === false;
  el.file.hidden = tools?.file === false;
  el.emoji.hidden = tools?.emoji === false;
  shots.show(tools?.screenshot !== false);
  drawEndRating();
  showStatus();
}

/** WINDOW-RATING-5: the survey under an ended chat an agent served, until it is rated. */
function drawEndRating() {
  const want = conv?.status === 'ended' && !!conv.agentId && !rated.has(conv.id) && config?.toolbar.rating !== false;
  if (!want) return el.rateSlot.replaceChildren();
  if (!el.rateSlot.firstChild) drawRating(el.rateSlot, { submit: rate });
}

async function rate(score: number, comment: string) {
  if (!conv) return;
  const r = await call('rating.submit', { conversationId: conv.id, clientId: uuid(), score, ...(comment ? { comment } : {}) });
  received(r.message);
}

// A survey the agent pushed (EVAL-PUSH-9), or the one the heart opened: a card in the list.
onRatingCard((box) => {
  if (conv && rated.has(conv.id)) return;
  drawRating(box, { submit: rate, dismiss: () => box.closest('li')?.remove() });
});

function received(m: MessageView) {
  if (!conv || m.conversationId !== conv.id) return;
  lastSeq = Math.max(lastSeq, m.seq);
  if (m.senderKind === 'agent') agentSeq = Math.max(agentSeq, m.seq);
  if (m.kind === 'rating' && m.senderKind === 'visitor') {
    rated.add(m.conversationId);
    el.list.querySelectorAll('.rating').forEach((c) => c.closest('li')?.remove());
    removeRow('local:rate');
    render();
  }
  upsert(shownStored(m));
  const key = m.payload?.fileKey;
  if (typeof key === 'string') void fetchLinks([key]).then(() => upsert(shownStored(m)));
  reportSeen();
}

/** CONV-READ-41: agent messages count as seen once they are in the open window of a visible page. */
function reportSeen() {
  if (!conv || agentSeq <= seenSent || !panelOpen || document.visibilityState !== 'visible' || !socket.connected) return;
  const sent = (seenSent = agentSeq);
  client.call('messages.seen', { conversationId: conv.id, seq: sent }).catch(() => {
    if (seenSent === sent) seenSent = 0; // told again on the next chance
  });
}
document.addEventListener('visibilitychange', reportSeen);

/** A line the window adds itself (waiting text, WINDOW-SEQUENCE-2): placed after what is shown, never stored. */
const localLine = (id: string, text: string) => text && upsert({ clientId: `local:${id}`, senderKind: 'system', text, seq: lastSeq + 0.5 });

/** Shows this conversation; a different one than shown starts from an empty list. */
async function useConversation(c: ConversationView) {
  if (conv?.id !== c.id) {
    clearMessages();
    lastSeq = agentSeq = seenSent = 0;
  }
  conv = c;
  leaving = false;
  for (const p of outbox.pending) if (p.conversationId === c.id) upsert(shownPending(p));
  render();
  const r = await client.call('sync', { conversationId: c.id, afterSeq: lastSeq });
  conv = r.conversation;
  r.messages.forEach(received);
  render();
}

socket.on('session', async (s) => {
  store.setToken(s.token);
  connected = true;
  blocked = s.blocked;
  try {
    if (s.conversation) await useConversation(s.conversation);
    else if (conv && conv.status !== 'ended') {
      conv = { ...conv, status: 'ended' }; // ended while we were away
      render();
    } else render();
    // Only when something waits: Outbox.flush() on an empty queue leaves a stale promise behind (see report).
    if (outbox.pending.length) await outbox.flush();
    reportSeen();
  } catch (err) {
    console.warn('[Kefu] sync failed', err);
  }
  toParent({ type: 'kefu:ready' });
});
socket.on('connect_error', () => {
  connected = false;
  if (!socket.active) setStatus(t('unavailable'));
  else showStatus();
});
socket.on('disconnect', () => {
  connected = false;
  showStatus();
});
client.on('message', ({ message }) => {
  const isNew = !el.list.querySelector(`[data-seq="${message.seq}"]`);
  received(message);
  if (isNew && message.senderKind !== 'visitor')
    toParent({ type: 'kefu:message', message: { text: message.text, kind: message.kind, senderKind: message.senderKind, senderName: message.senderName } });
});
client.on('conversation.updated', ({ conversation }) => {
  if (conv && conversation.id === conv.id) {
    conv = conversation;
    // The maximum wait passed unanswered (ASSIGN-OVERFLOW-10): the leave-message form, with what was typed.
    if (conversation.endReason === 'queue_timeout' && !leaving) return showLeave();
    // Its agent left and nobody took it over in time (MENU-EXITCHATS-7): the offline text above the form.
    if (conversation.endReason === 'agent_left' && !leaving) return showLeave(inLang(config?.texts)?.offline);
    render();
  } else if (!conv || conv.status === 'ended') void useConversation(conversation); // an accepted invitation, a proactive chat
});
// A block that starts or ends while the page is open (DISPLAY-BLOCKEND-15): no reload needed.
client.on('service.blocked', (p) => {
  blocked = p.blocked;
  if (blocked) leaving = false;
  render();
});
client.on('queue.position', (p) => {
  if (conv && p.conversationId === conv.id) {
    position = p.position;
    estimate = p.estimatedWaitMinutes;
    showStatus();
  }
});
// Kept by id: after a reload the question may come before the conversation is shown.
client.on('queue.prompt', (p) => {
  askedFor = p.conversationId;
  render();
});

// The browser knows about a lost network before the socket does: go offline at once, back when online.
window.addEventListener('offline', () => {
  socket.disconnect();
  showStatus();
});
window.addEventListener('online', () => {
  socket.connect();
  showStatus();
});

async function requestChat(groupId?: number | null) {
  el.start.disabled = el.restart.disabled = true;
  const scope = entry ? entryScope() : groupId ? { groupId } : {};
  try {
    const r = await verified((verification) => client.call('chat.request', { ...scope, ...(iconKey ? { iconKey } : {}), ...(verification ? { verification } : {}) }));
    position = r.position;
    estimate = r.estimatedWaitMinutes;
    await useConversation(r.conversation);
    if (r.conversation.status === 'queued') {
      if (config?.busy) localLine('busy', inLang(config.texts)?.busy ?? '');
      localLine('waiting', inLang(config?.texts)?.waiting ?? '');
    }
    el.input.focus();
  } catch (err) {
    // ASSIGN-OVERFLOW-10: the scope's queue is full; the form comes with the company's text.
    if (err instanceof RealtimeError && err.code === 'queue_full') return showLeave(err.message);
    const cancelled = err instanceof RealtimeError && err.code === 'verification_cancelled';
    setStatus(cancelled ? '' : err instanceof RealtimeError && err.code !== 'timeout' ? err.message : t('unavailable'));
    throw err;
  } finally {
    el.start.disabled = el.restart.disabled = false;
  }
}

/** POLICY-SPAM-6: while the server asks for the image challenge, the visitor answers it and the same request is sent again. */
async function verified<T>(send: (v?: Answer) => Promise<T>): Promise<T> {
  for (let answer: Answer | undefined; ; ) {
    try {
      return await send(answer);
    } catch (err) {
      const asked = challengeOf(err);
      if (!asked) throw err;
      answer = await askCaptcha(asked.challenge, asked.wrong, () => newChallenge(company));
    }
  }
}

/** Icon click, restart, or an accepted automatic invitation: the leave form if nobody serves, else the pre-chat form or the chat. */
function begin() {
  if (blocked) return render();
  if (config && !config.region.served) return config.region.leaveMessage ? showLeave() : undefined;
  if (config && (!config.online || config.icon?.kind === 'email')) return showLeave();
  if (config?.prechat.enabled || (config?.icon?.kind === 'group' && !entry)) {
    conv = null;
    drawScreens();
    return render();
  }
  void requestChat().catch(() => undefined);
}

function drawScreens() {
  if (config?.icon?.kind === 'group' && !entry)
    return drawEntries(config, (picked) => {
      entry = picked;
      if (!picked.online) return showLeave();
      drawScreens();
      el.startBody.querySelector<HTMLElement>('input, select, button')?.focus();
    });
  drawStart(config, {
    prefill: store.prechat(),
    async submitPrechat(values) {
      store.setPrechat(values);
      const r = await call('prechat.submit', { fields: values });
      await requestChat(r.groupId);
    },
  });
}

function showLeave(notice?: string) {
  const external = config?.leaveMessage.enabled && config.leaveMessage.externalUrl;
  if (external) {
    window.open(externalLeaveUrl(external, { company, visitor: store.token() ?? '', page }), '_blank', 'noopener');
    return;
  }
  // What was typed while waiting goes into the message (LEAVESET-RENDER-8).
  const typed = [...el.list.querySelectorAll('.msg.visitor .text')].map((n) => n.textContent).join('\n');
  drawLeave(config, {
    prefill: { ...store.prechat(), ...(typed ? { content: typed } : {}) },
    notice,
    page,
    canChat: !!config?.online,
    back: () => {
      leaving = false;
      render();
    },
    // LEAVEMSG-ASSIGN-7: the icon (its bound agent) or the agent entry picked makes the handler.
    submit: (p) => call('leavemsg.submit', { ...p, ...entryScope(), ...(iconKey ? { iconKey } : {}) }),
  });
  leaving = true;
  render();
  (el.leave.querySelector('input, textarea') as HTMLElement | null)?.focus();
}

el.start.addEventListener('click', () => void requestChat().catch(() => undefined));
el.restart.addEventListener('click', begin);
el.leaveLink.addEventListener('click', () => showLeave());
/** Leaving the queue (ASSIGN-LEAVE-11): 取消排队 shows the ended chat, 留言 the form prefilled with what was typed (CONV-QUEUE-7). */
async function leaveQueue(leaveMessage: boolean) {
  if (conv?.status !== 'queued') return leaveMessage && showLeave();
  const r = await client.call('queue.leave', { conversationId: conv.id, leaveMessage }).catch(() => null);
  if (r) conv = r.conversation;
  if (leaveMessage) showLeave();
  else render();
}
const queue = setupQueue({
  cancel: () => void leaveQueue(false),
  leaveMessage: () => void leaveQueue(true),
  keepWaiting: () => {
    askedFor = null;
    if (conv) void client.call('queue.continue', { conversationId: conv.id }).catch(() => null);
  },
});
el.queueLeave.addEventListener('click', () => void leaveQueue(true));
el.end.addEventListener('click', async () => {
  if (!conv) return;
  const r = await client.call('chat.end', { conversationId: conv.id }).catch(() => null);
  if (r) {
    conv = r.conversation;
    render();
  }
});
el.close.addEventListener('click', () => toParent({ type: 'kefu:close' }));
el.save.addEventListener('click', () => conv && downloadTranscript(conv.id));
const mailTool = setupTranscriptMail({ company, token: () => store.token(), conversationId: () => conv?.id ?? null, knownEmail: () => store.prechat().email });
el.heart.addEventListener('click', () => upsert({ clientId: 'local:rate', senderKind: 'system', kind: 'rating', text: null, payload: { request: true }, seq: lastSeq + 0.5 }));

// Files: the picker (image or any file), and images pasted from the clipboard (screenshots).
function sendFile(file: File) {
  if (!conv || conv.status === 'ended') return;
  const clientId = uuid();
  const isImage = file.type.startsWith('image/');
  const row: Shown = {
    clientId,
    senderKind: 'visitor',
    kind: isImage ? 'image' : 'file',
    text: null,
    payload: { name: file.name, size: file.size },
    preview: isImage ? URL.createObjectURL(file) : undefined,
    state: 'sending',
    progress: 0,
  };
  upsert(row);
  upload(file, conv.id, clientId, (progress) => upsert({ ...row, progress }))
    .then((r) => {
      upsert({ ...row, progress: undefined });
      received(r.message as MessageView);
    })
    .catch((err: Error) => upsert({ ...row, progress: undefined, state: 'failed', error: err.message }));
}
const pick = (accept: string) => {
  el.picker.accept = accept;
  el.picker.click();
};
el.image.addEventListener('click', () => pick('image/*'));
el.file.addEventListener('click', () => pick(''));
// CONV-SCREENSHOT-19: pasted, dropped, captured and picked images wait in a preview (发送 / 取消) before any upload.
const shots = setupShots({
  button: el.shot,
  input: el.input,
  dropZone: el.app,
  enabled: () => config?.toolbar.screenshot !== false && !!conv && conv.status !== 'ended',
  send: sendFile,
});
el.picker.addEventListener('change', () => {
  for (const file of el.picker.files ?? []) {
    if (file.type.startsWith('image/')) shots.preview(file);
    else sendFile(file);
  }
  el.picker.value = '';
});
setupEmoji(el.emoji, el.emojiPanel, el.input);

// Composer: Enter sends, Shift+Enter is a new line. CONV-LIVEVIEW-21: while the serving agent's 实时查看 is on (and the
// company allows it) the unsent input goes to the agent at most every 300 ms; otherwise only that the visitor types.
const LIVE_MS = 300;
const SIGNAL_MS = 3000;
let liveFor: number | null = null;
const live = () => !!conv && liveFor === conv.id;
client.on('liveview', (p) => {
  if (p.on) liveFor = p.conversationId;
  else if (liveFor === p.conversationId) liveFor = null;
  if (p.on && el.input.value) sendTyping();
});
let typingAt = 0;
let typingTimer: ReturnType<typeof setTimeout> | undefined;
function sendTyping() {
  clearTimeout(typingTimer);
  typingTimer = undefined;
  typingAt = Date.now();
  if (conv?.status !== 'active' || !socket.connected) return;
  const payload = live() ? { conversationId: conv.id, text: el.input.value.slice(0, 5000) } : { conversationId: conv.id };
  client.call('typing', payload, 5000).catch(() => undefined);
}
el.input.addEventListener('input', () => {
  // An emptied input clears the agent's preview; without live view there is nothing to say.
  if (!live() && !el.input.value) return;
  const wait = (live() ? LIVE_MS : SIGNAL_MS) - (Date.now() - typingAt);
  if (wait <= 0) sendTyping();
  else typingTimer ??= setTimeout(sendTyping, wait);
});
el.input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    el.form.requestSubmit();
  }
});
function sendText(text: string) {
  if (!conv || conv.status === 'ended') return Promise.resolve();
  const p = { conversationId: conv.id, clientId: uuid(), text };
  upsert(shownPending(p));
  return outbox.push(p);
}
el.form.addEventListener('submit', (e) => {
  e.preventDefault();
  const text = el.input.value.trim();
  if (!text || !conv || conv.status === 'ended') return;
  el.input.value = '';
  void sendText(text);
  // The message itself clears the agent's preview; a signal still waiting would come too late.
  if (live()) sendTyping();
  else clearTimeout(typingTimer);
  typingTimer = undefined;
});

onCardButton(sendText);

// CONV-FORM-22: the pushed information form, prefilled with what the visitor gave before.
onPushedForm((host, form, seq) => {
  const clientId = uuid();
  drawForm(host, {
    id: `info-form-${seq}`,
    fields: form.fields,
    choices: { questionType: (form.questionTypes ?? []).map((q) => ({ value: q.id, label: inLang(q.label) ?? q.id })) },
    values: store.prechat(),
    submitLabel: t('submit'),
    async onSubmit(values) {
      if (!conv) return;
      store.setPrechat(values);
      received((await call('form.submit', { conversationId: conv.id, clientId, fields: values })).message);
    },
  });
});

/** TAG-ROUTE-2: a tag's text goes into the running chat, or starts one (routing as for an icon click) and is its first message. */
async function sendTag(text: string) {
  if (!conv || conv.status === 'ended') await requestChat();
  await sendText(text);
}

/** Texts of the company's settings over the catalogue: title, warning notice, theme colour. */
function applyConfig() {
  const texts = inLang(config?.texts);
  if (texts?.title) el.title.textContent = texts.title.replace('{company}', config?.companyName ?? '').trim();
  // REGION-RENDER-5: a visitor outside the served region sees the notice instead of the warning.
  const refused = !!config && !config.region.served;
  el.notice.textContent = (refused ? inLang(config?.region.notice) : texts?.warning) ?? '';
  el.notice.classList.toggle('region', refused);
  drawTags(config, sendTag);
  drawAd(config);
  if (config?.style.themeColor) document.documentElement.style.setProperty('--theme', config.style.themeColor);
  if (config?.style.themeText) document.documentElement.style.setProperty('--on-theme', config.style.themeText);
  // WINDOW-BRAND-6: the company's logo beside the title.
  el.logo.hidden = !config?.style.logo;
  if (config?.style.logo) el.logo.src = config.style.logo;
  drawScreens();
  render();
}
const configLoaded = loadConfig(company, iconKey).then((c) => {
  config = forDevice(c);
  // WINDOW-INPAGE-8: a chat link without `?lang=` takes the company's fixed window language (the loader passes it otherwise).
  const fixed = config?.style.language;
  if (!params.get('lang') && fixed && fixed !== 'auto') {
    setLanguage(fixed);
    applyTexts(language());
  }
  useAvatars(c, company);
  applyConfig();
});

// Messages from the loader on the host page.
window.addEventListener('message', (e) => {
  if (!host || e.source !== host) return;
  const m = e.data as { type?: string; token?: string; lang?: string; page?: string; open?: boolean };
  if (m?.type === 'kefu:init') {
    if (typeof m.token === 'string' && m.token) store.setToken(m.token);
    if (typeof m.page === 'string') page = m.page;
    if (!socket.connected) socket.connect();
  } else if (m?.type === 'kefu:lang' && m.lang) {
    setLanguage(m.lang);
    applyTexts(language());
    applyConfig();
  } else if (m?.type === 'kefu:visible') {
    panelOpen = m.open === true;
    reportSeen();
  } else if (m?.type === 'kefu:start') void configLoaded.then(() => (!conv || conv.status === 'ended') && begin());
});

if (host) {
  host.postMessage({ type: 'kefu:hello' }, '*');
  // A loader that never answers (old copy, blocked messages) must not leave the window dead.
  setTimeout(() => {
    if (!socket.connected && !socket.active) socket.connect();
  }, 1500);
}
