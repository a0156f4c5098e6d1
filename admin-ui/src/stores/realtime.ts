import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { Socket } from 'socket.io-client';
import type { ReplacedBy } from './session';

export type LinkState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface RealtimeHandlers {
  pluginsChanged(plugins: string[]): void;
  /** `replacedBy`: where and when the login that replaced this session came from (LOGIN-MULTI-8). */
  sessionEnded(reason: string, replacedBy: ReplacedBy | null): void;
  /** After a reconnect: what was pushed meanwhile is lost, so reload what the console shows. */
  resynced(): void;
  /** The server refused the handshake: the session may be gone, let the caller check. */
  refused(): void;
  /** An agent of the company was changed (permissions, role, groups…): the caller reloads itself when it is the one. */
  agentChanged(agentId: number): void;
}

/** Failed reconnect attempts after which the indicator says "offline" (it keeps trying). */
const OFFLINE_AFTER_ATTEMPTS = 4;

/** The `/agent` socket.io link and the network state the header shows. */
export const useRealtimeStore = defineStore('realtime', () => {
  const state = ref<LinkState>('idle');
  let socket: Socket | null = null;
  /** The live socket for screens that talk over it (the workbench); null while signed out. */
  const currentSocket = shallowRef<Socket | null>(null);
  /** Bumped on every (re)connect, so screens reload their snapshot and replay what they missed. */
  const connects = ref(0);
  let everConnected = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const browserOffline = () => typeof navigator !== 'undefined' && navigator.onLine === false;

  function onBrowserOffline() {
    if (socket) state.value = 'offline';
  }

  function onBrowserOnline() {
    if (!socket) return;
    if (socket.connected) state.value = 'connected';
    else {
      state.value = 'reconnecting';
      socket.connect();
    }
  }

  /** Bumped by every connect and disconnect, so a late import cannot revive a closed link. */
  let generation = 0;

  async function connect(handlers: RealtimeHandlers): Promise<void> {
    if (socket) return;
    const mine = ++generation;
    everConnected = false;
    state.value = browserOffline() ? 'offline' : 'connecting';
    // Loaded on first sign-in: the login page does not need it.
    const { io } = await import('socket.io-client');
    if (mine !== generation || socket) return;
    // forceNew: a fresh manager per sign-in, so nothing of a previous session's link survives.
    const current = io('/agent', { withCredentials: true, forceNew: true });
    socket = current;
    currentSocket.value = current;

    const retryLater = () => {
      state.value = browserOffline() ? 'offline' : 'reconnecting';
      handlers.refused();
      clearTimeout(retryTimer);
      retryTimer = setTimeout(() => socket === current && current.connect(), 5000);
    };

    current.on('connect', () => {
      state.value = 'connected';
      connects.value += 1;
      if (everConnected) handlers.resynced();
      everConnected = true;
    });
    current.on('disconnect', (reason) => {
      // The server closing the link itself is not retried by socket.io: check the session, then retry.
      if (reason === 'io server disconnect') retryLater();
      else state.value = browserOffline() ? 'offline' : 'reconnecting';
    });
    current.on('connect_error', () => {
      // While `active`, socket.io retries by itself and the manager events below keep the state;
      // otherwise the server refused the handshake (e.g. its middleware said unauthenticated).
      if (!current.active) retryLater();
    });
    current.io.on('reconnect_attempt', (attempt) => {
      state.value = browserOffline() || attempt > OFFLINE_AFTER_ATTEMPTS ? 'offline' : 'reconnecting';
    });
    current.on('plugins.changed', (payload: { plugins?: unknown }) => {
      if (Array.isArray(payload?.plugins)) handlers.pluginsChanged(payload.plugins.filter((id) => typeof id === 'string'));
    });
    current.on('agents.changed', (payload: { agentId?: unknown }) => {
      if (typeof payload?.agentId === 'number') handlers.agentChanged(payload.agentId);
    });
    current.on('session.ended', (payload: { reason?: unknown; replacedBy?: { ip?: unknown; at?: unknown } }) => {
      const by = payload?.replacedBy;
      const replacedBy = by && typeof by.ip === 'string' && typeof by.at === 'string' ? { ip: by.ip, at: by.at } : null;
      handlers.sessionEnded(typeof payload?.reason === 'string' ? payload.reason : 'unauthenticated', replacedBy);
    });

    window.addEventListener('offline', onBrowserOffline);
    window.addEventListener('online', onBrowserOnline);
  }

  function disconnect(): void {
    generation += 1;
    clearTimeout(retryTimer);
    window.removeEventListener('offline', onBrowserOffline);
    window.removeEventListener('online', onBrowserOnline);
    socket?.removeAllListeners();
    socket?.io.removeAllListeners('reconnect_attempt');
    socket?.disconnect();
    socket = null;
    currentSocket.value = null;
    state.value = 'idle';
  }

  return { state, socket: currentSocket, connects, connect, disconnect };
});
