import { io } from 'socket.io-client';
import { api } from '@/api/client';

export type CheckState = { state: 'running' } | { state: 'ok'; detail: string } | { state: 'failed'; detail: string };

const TIMEOUT_MS = 8000;

/** GET /healthz bypassing every cache; resolves with the server's version and the time it took. */
export async function pingServer(): Promise<{ version: string; ms: number }> {
  const started = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const r = await fetch(`/healthz?t=${Date.now()}`, { cache: 'no-store', signal: controller.signal });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    const body = (await r.json()) as { version?: string };
    return { version: body.version ?? '', ms: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Opens a fresh realtime connection over one transport. Before login the server refuses the session,
 * but that refusal can only come over a working transport, so it counts as reachable; only a
 * transport error or a timeout is a failure.
 */
export function probeTransport(transport: 'websocket' | 'polling'): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = io('/agent', { transports: [transport], reconnection: false, forceNew: true, timeout: TIMEOUT_MS, withCredentials: true });
    const done = (error?: Error) => {
      socket.close();
      if (error) reject(error);
      else resolve(Math.round(performance.now() - started));
    };
    socket.on('connect', () => done());
    socket.on('connect_error', (error: Error & { type?: string }) => done(error.type === 'TransportError' || /timeout/i.test(error.message) ? error : undefined));
  });
}

export const clientIp = () => api.get<{ ip: string }>('/api/auth/client-ip', { sessionCall: false });
