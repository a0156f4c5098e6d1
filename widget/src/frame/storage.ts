import type { PendingSend } from '@kefu/core/protocol/client';

/**
 * Per-company keys (`kefu:<companyId>:…`) so two companies' widgets in one browser never mix. A chat window
 * opened by a page's loader (WINDOW-OPEN-7) keeps what its opener handed it in its own session only: a page
 * could otherwise plant its token in the Kefu origin's lasting storage.
 */
export function companyStore(companyId: string, lasting = true) {
  const key = (k: string) => `kefu:${companyId}:${k}`;
  const area = () => (lasting ? localStorage : sessionStorage);
  const get = (k: string): string | null => {
    try {
      return area().getItem(key(k));
    } catch {
      return null; // storage blocked (third-party iframe rules): works for this page view only
    }
  };
  const set = (k: string, v: string | null) => {
    try {
      if (v === null) area().removeItem(key(k));
      else area().setItem(key(k), v);
    } catch {
      /* storage blocked or full */
    }
  };
  return {
    token: () => get('token') || undefined,
    setToken: (t: string) => set('token', t),
    outbox(): PendingSend[] {
      try {
        const q = JSON.parse(get('outbox') || '[]');
        return Array.isArray(q) ? q.filter((p) => p && typeof p.clientId === 'string' && typeof p.text === 'string') : [];
      } catch {
        return [];
      }
    },
    saveOutbox: (q: readonly PendingSend[]) => set('outbox', q.length ? JSON.stringify(q) : null),
    /** What the visitor typed into the pre-chat form last time (PRECHAT-PREFILL-5). */
    prechat(): Record<string, string> {
      try {
        return JSON.parse(get('prechat') || '{}');
      } catch {
        return {};
      }
    },
    setPrechat: (v: Record<string, string>) => set('prechat', JSON.stringify(v)),
  };
}

export function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // Pages served over plain http (not a secure context) have no randomUUID.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
