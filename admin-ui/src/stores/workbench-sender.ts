import { ref } from 'vue';
import { Outbox, RealtimeError, type PendingSend } from '@kefu/core/protocol/client';
import type { AgentClient, MessageView } from './workbench-types';

export interface PendingItem extends PendingSend {
  state: 'sending' | 'failed';
  /** The server's refusal code when refused for good; absent while it only waits for the link. */
  error?: string;
}

/** crypto.randomUUID needs a secure context; a console served over plain HTTP builds one itself. */
function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const storageKey = (agentId: number) => `kefu.outbox.${agentId}`;

function restore(agentId: number): PendingSend[] {
  try {
    const list = JSON.parse(localStorage.getItem(storageKey(agentId)) ?? '[]');
    return Array.isArray(list) ? list.filter((p) => p && typeof p.clientId === 'string' && typeof p.text === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * The agent's sends (CONV-IDEMPOTENT-9): each gets a UUID client id and waits in an ordered `Outbox`
 * (kept in localStorage) until acked; the pane shows sending / failed with resend until then.
 */
export function createSender(client: () => AgentClient | null, agentId: () => number, delivered: (m: MessageView) => void) {
  const pending = ref<PendingItem[]>([]);
  let outbox: Outbox<MessageView> | null = null;
  let outboxOf = 0;

  const mark = (clientId: string, patch: Partial<PendingItem>) => {
    const item = pending.value.find((p) => p.clientId === clientId);
    if (item) Object.assign(item, patch);
  };

  function box(): Outbox<MessageView> {
    const me = agentId();
    if (outbox && outboxOf === me) return outbox;
    outboxOf = me;
    const restored = restore(me);
    pending.value = restored.map((p) => ({ ...p, state: 'sending' }));
    outbox = new Outbox<MessageView>(
      async (p) => {
        const c = client();
        if (!c || !c.socket.connected) throw new RealtimeError('timeout', 'offline', { code: 'timeout', message: 'offline' });
        const r = await c.call('message.send', { conversationId: p.conversationId, clientId: p.clientId, kind: 'text', text: p.text, ...(p.style ? { style: p.style } : {}) });
        return r.message;
      },
      {
        onSent: (p, m) => {
          delivered(m);
          pending.value = pending.value.filter((x) => x.clientId !== p.clientId);
        },
        onFailed: (p, err) => mark(p.clientId, { state: 'failed', error: err instanceof RealtimeError ? err.code : 'internal_error' }),
        persist: (q) => {
          try {
            localStorage.setItem(storageKey(me), JSON.stringify(q));
          } catch {
            // Storage full or off: the queue still lives in memory.
          }
        },
      },
      restored,
    );
    return outbox;
  }

  /** After a flush, what is still queued waits for the link: shown as failed with resend. */
  async function flush() {
    const b = box();
    for (const p of pending.value) if (!p.error && b.pending.some((q) => q.clientId === p.clientId)) p.state = 'sending';
    // Never flush an empty Outbox: its flush() then finishes synchronously, before `flushing` is assigned,
    // and the stale settled promise would stop every later flush (core/src/protocol/client.ts).
    if (b.pending.length) await b.flush();
    const queued = new Set(b.pending.map((q) => q.clientId));
    for (const p of pending.value) if (queued.has(p.clientId)) p.state = 'failed';
  }

  /** `style`: the agent's palette colour and bold (CONV-FONT-13), kept with the queued message. */
  function send(conversationId: number, text: string, style?: PendingSend['style']): Promise<void> {
    const p: PendingSend = { conversationId, clientId: uuid(), text, ...(style ? { style } : {}) };
    const b = box();
    pending.value.push({ ...p, state: 'sending' });
    void b.push(p);
    return flush();
  }

  /** A refused message goes again as a new one; one that waited for the link is retried as it was. */
  function resend(clientId: string): Promise<void> {
    const item = pending.value.find((p) => p.clientId === clientId);
    if (!item) return Promise.resolve();
    if (item.error) {
      pending.value = pending.value.filter((p) => p !== item);
      return send(item.conversationId, item.text, item.style);
    }
    return flush();
  }

  function discard(clientId: string) {
    pending.value = pending.value.filter((p) => p.clientId !== clientId || !p.error);
  }

  return { pending, flush, send, resend, discard };
}
