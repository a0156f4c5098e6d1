import { io, type Socket } from 'socket.io-client';
import type { TestClient } from './http-client.ts';

/** A connected console socket for a signed-in test client. */
export function agentSocket(url: string, client: TestClient): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = io(url + '/agent', { extraHeaders: { cookie: client.cookie }, transports: ['websocket'], reconnection: false, forceNew: true });
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

export const DESKTOP_CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';

/** A widget socket; resolves with the server-issued token from the `session` event. */
export function visitorSocket(
  url: string,
  companyId: number,
  token?: string,
  headers: Record<string, string> = {},
): Promise<{ socket: Socket; token: string; visitorNumber: number; conversation: any; blocked: boolean }> {
  return new Promise((resolve, reject) => {
    const s = io(url + '/visitor', {
      auth: { companyId, token },
      extraHeaders: { 'user-agent': DESKTOP_CHROME, ...headers },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    s.once('session', (m) => resolve({ socket: s, token: m.token, visitorNumber: m.visitorNumber, conversation: m.conversation, blocked: m.blocked }));
    s.once('connect_error', reject);
  });
}

export const call = (s: Socket, event: string, payload: unknown = {}) => s.timeout(5000).emitWithAck(event, payload);

/** Resolves with the next event of that name matching `where`. */
export function next<T = any>(s: Socket, event: string, where: (m: T) => boolean = () => true, ms = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      s.off(event, on);
      reject(new Error(`no ${event} within ${ms} ms`));
    }, ms);
    const on = (m: T) => {
      if (!where(m)) return;
      clearTimeout(timer);
      s.off(event, on);
      resolve(m);
    };
    s.on(event, on);
  });
}
