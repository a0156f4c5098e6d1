/**
 * The chat window (an iframe served by Kefu at /widget/frame.html?c=<companyId>&lang=<l>).
 * Talks to the `/visitor` namespace; every message typed goes through the Outbox,
 * which is kept in localStorage until acked so neither a reload nor a drop loses it.
 */
import { io } from 'socket.io-client';
import { Outbox, RealtimeError, visitorClient, type PendingSend } from '@kefu/core/protocol/client';
import type { ConversationView, MessageView } from '@kefu/core/protocol';
import { language, setLanguage, t } from './i18n.ts';
import { companyStore, uuid } from './storage.ts';
import { applyTexts, clearMessages, el, setAgent, setState, setStatus, upsert, type Shown } from './view.ts';
import './style.css';

const params = new URLSearchParams(location.search);
const company = params.get('c') || '';
const store = companyStore(company);
const embedded = window.parent !== window;
setLanguage(params.get('lang') || navigator.language);
applyTexts(language());
if (!embedded) el.close.hidden = true;

let conv: ConversationView | null = null;
let lastSeq = 0;
let position: number | null = null;
let connected = false;
// Embedded, the frame connects only once the loader has handed over the visitor token it keeps in the
// host page's first-party storage (its page-view beacon made it), so both are one visitor.
const socket = io('/visitor', { autoConnect: !embedded, auth: (cb) => cb({ companyId: Number(company), token: store.token() }) });
const client = visitorClient(socket);
const toParent = (m: Record<string, unknown>) => embedded && window.parent.postMessage(m, '*');

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

function showStatus() {
  if (!navigator.onLine) return setStatus(t('offline'));
  if (!connected) return setStatus(t('connecting'));
  if (conv?.status === 'queued') return setStatus(position ? t('queue', { n: position }) : t('waiting'));
  setStatus('');
}

function render() {
  if (!conv) setState('start');
  else setState(conv.status);
  setAgent(conv?.status === 'active' ? conv.agentNickname : null);
  showStatus();
}

function received(m: MessageView) {
  if (!conv || m.conversationId !== conv.id) return;
  lastSeq = Math.max(lastSeq, m.seq);
  upsert(shownStored(m));
}

/** Shows this conversation; a different one than shown starts from an empty list. */
async function useConversation(c: ConversationView) {
  if (conv?.id !== c.id) {
    clearMessages();
    lastSeq = 0;
  }
  conv = c;
  for (const p of outbox.pending) if (p.conversationId === c.id) upsert(shownPending(p));
  render();
  if (c.status === 'ended') return;
  const r = await client.call('sync', { conversationId: c.id, afterSeq: lastSeq });
  conv = r.conversation;
  r.messages.forEach(received);
  render();
}

socket.on('session', async (s) => {
  store.setToken(s.token);
  connected = true;
  try {
    if (s.conversation) await useConversation(s.conversation);
    else if (conv && conv.status !== 'ended') {
      conv = { ...conv, status: 'ended' }; // ended while we were away
      render();
    } else render();
    // Only when something waits: Outbox.flush() on an empty queue leaves a stale promise behind (see report).
    if (outbox.pending.length) await outbox.flush();
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
  if (isNew && message.senderKind === 'agent') toParent({ type: 'kefu:message' });
});
client.on('conversation.updated', ({ conversation }) => {
  if (conv && conversation.id === conv.id) {
    conv = conversation;
    render();
  }
});
client.on('queue.position', (p) => {
  if (conv && p.conversationId === conv.id) {
    position = p.position;
    showStatus();
  }
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

async function requestChat() {
  el.start.disabled = el.restart.disabled = true;
  try {
    const r = await client.call('chat.request', {});
    position = r.position;
    await useConversation(r.conversation);
    el.input.focus();
  } catch (err) {
    setStatus(err instanceof RealtimeError && err.code !== 'timeout' ? err.message : t('unavailable'));
  } finally {
    el.start.disabled = el.restart.disabled = false;
  }
}
el.start.addEventListener('click', requestChat);
el.restart.addEventListener('click', requestChat);
el.end.addEventListener('click', async () => {
  if (!conv) return;
  const r = await client.call('chat.end', { conversationId: conv.id }).catch(() => null);
  if (r) {
    conv = r.conversation;
    render();
  }
});
el.close.addEventListener('click', () => toParent({ type: 'kefu:close' }));

// Composer: Enter sends, Shift+Enter is a new line; the draft goes to the agent as a throttled preview.
let typingAt = 0;
let typingTimer: ReturnType<typeof setTimeout> | undefined;
function sendTyping() {
  clearTimeout(typingTimer);
  typingTimer = undefined;
  typingAt = Date.now();
  if (conv && conv.status !== 'ended' && socket.connected) client.call('typing', { conversationId: conv.id, text: el.input.value.slice(0, 5000) }, 5000).catch(() => undefined);
}
el.input.addEventListener('input', () => {
  const wait = 1000 - (Date.now() - typingAt);
  if (wait <= 0) sendTyping();
  else typingTimer ??= setTimeout(sendTyping, wait);
});
el.input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    el.form.requestSubmit();
  }
});
el.form.addEventListener('submit', (e) => {
  e.preventDefault();
  const text = el.input.value.trim();
  if (!text || !conv || conv.status === 'ended') return;
  el.input.value = '';
  const p = { conversationId: conv.id, clientId: uuid(), text };
  upsert(shownPending(p));
  void outbox.push(p);
  sendTyping();
});

// Messages from the loader on the host page.
window.addEventListener('message', (e) => {
  if (!embedded || e.source !== window.parent) return;
  const m = e.data as { type?: string; token?: string; lang?: string };
  if (m?.type === 'kefu:init') {
    if (typeof m.token === 'string' && m.token) store.setToken(m.token);
    if (!socket.connected) socket.connect();
  } else if (m?.type === 'kefu:lang' && m.lang) {
    setLanguage(m.lang);
    applyTexts(language());
    render();
  }
});

if (embedded) {
  toParent({ type: 'kefu:hello' });
  // A loader that never answers (old copy, blocked messages) must not leave the window dead.
  setTimeout(() => {
    if (!socket.connected && !socket.active) socket.connect();
  }, 1500);
}
