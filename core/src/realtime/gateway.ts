import type http from 'node:http';
import { Server, type Namespace, type Socket } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { KefuConfig } from '@kefu/config';
import type { AuthInfo } from '../auth/auth-info.ts';
import { Authenticator, tokenFrom } from '../auth/authenticator.ts';
import { SESSION_ENDED } from '../auth/session-service.ts';
import type { Bus } from '../infra/bus.ts';
import type { Logger } from '../infra/logger.ts';
import { PLUGINS_CHANGED, type PluginEnablement } from '../plugins/plugin-enablement.ts';
import type { SocketDispatcher } from '../plugins/socket-dispatcher.ts';

export const rooms = {
  company: (id: number) => `company:${id}`,
  agent: (id: number) => `agent:${id}`,
  session: (id: number) => `session:${id}`,
};

/**
 * socket.io with the `/agent` namespace: authenticated by the console cookie
 * or a bearer token at the handshake; plugin events `<id>:<event>` go to the
 * socket dispatcher. With REDIS_URL the Redis adapter spans nodes.
 */
export class RealtimeGateway {
  readonly io: Server;
  readonly agents: Namespace;
  private closers: (() => Promise<unknown> | void)[] = [];

  constructor(
    server: http.Server,
    private readonly deps: { config: KefuConfig; log: Logger; bus: Bus; auth: Authenticator; dispatcher: SocketDispatcher; enablement: PluginEnablement },
  ) {
    this.io = new Server(server, { serveClient: false, maxHttpBufferSize: 1e6, cors: { origin: false } });
    this.agents = this.io.of('/agent');
    this.agents.use((socket, next) => {
      this.authenticate(socket)
        .then((auth) => {
          if (!auth) return next(Object.assign(new Error('unauthenticated'), { data: { code: 'unauthenticated' } }));
          socket.data.auth = auth;
          next();
        })
        .catch(next);
    });
    this.agents.on('connection', (socket) => this.onAgent(socket));
    this.closers.push(
      deps.bus.subscribe(SESSION_ENDED, (m: { sessionIds: number[]; reason: string }) => {
        for (const id of m.sessionIds) {
          this.agents.local.to(rooms.session(id)).emit('session.ended', { reason: m.reason });
          this.agents.local.in(rooms.session(id)).disconnectSockets(true);
        }
      }),
      deps.bus.subscribe(PLUGINS_CHANGED, (m: { companyId?: number }) => void this.pushPlugins(m.companyId)),
    );
  }

  async useRedis(url: string): Promise<void> {
    const pub = createClient({ url });
    const sub = pub.duplicate();
    for (const c of [pub, sub]) c.on('error', (err) => this.deps.log.warn({ err }, 'socket.io redis adapter error'));
    await Promise.all([pub.connect(), sub.connect()]);
    this.io.adapter(createAdapter(pub, sub));
    this.closers.push(() => Promise.allSettled([pub.quit(), sub.quit()]));
  }

  private async authenticate(socket: Socket): Promise<AuthInfo | null> {
    const bearer = typeof socket.handshake.auth?.token === 'string' ? `Bearer ${socket.handshake.auth.token}` : socket.handshake.headers.authorization;
    const found = tokenFrom(socket.handshake.headers.cookie, bearer);
    return found ? this.deps.auth.fromToken(found.token) : null;
  }

  private onAgent(socket: Socket) {
    const auth = socket.data.auth as AuthInfo;
    void socket.join([rooms.company(auth.companyId), rooms.agent(auth.agent.id), rooms.session(auth.sessionId)]);
    socket.onAny(async (event: string, payload: unknown, ack?: (r: unknown) => void) => {
      if (!this.deps.dispatcher.handles(event)) return typeof ack === 'function' && ack({ error: { code: 'unknown_event', message: `Unknown event ${event}` } });
      // Re-read the session and permissions for every event: a revoked session or a removed permission applies at once.
      const fresh = await this.deps.auth.fromToken(tokenFrom(socket.handshake.headers.cookie, socket.handshake.auth?.token ? `Bearer ${socket.handshake.auth.token}` : socket.handshake.headers.authorization)!.token);
      if (!fresh || fresh.restriction) {
        if (typeof ack === 'function') ack({ error: { code: fresh ? fresh.restriction : 'unauthenticated', message: 'Session not usable' } });
        if (!fresh) socket.disconnect(true);
        return;
      }
      await this.deps.dispatcher.dispatch(event, payload, { companyId: fresh.companyId, agentId: fresh.agent.id, sessionId: fresh.sessionId, can: fresh.can }, ack);
    });
  }

  private async pushPlugins(companyId?: number) {
    const targets = companyId ? [companyId] : [...new Set([...this.agents.sockets.values()].map((s) => (s.data.auth as AuthInfo).companyId))];
    for (const id of targets) this.agents.local.to(rooms.company(id)).emit('plugins.changed', { plugins: await this.deps.enablement.enabledIds(id) });
  }

  /** Graceful: tell clients, close sockets, stop accepting. */
  async close(): Promise<void> {
    this.agents.local.disconnectSockets(true);
    for (const c of this.closers) await c();
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
  }
}
