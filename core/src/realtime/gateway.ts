import type http from 'node:http';
import { Server, type Namespace, type Socket } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { KefuConfig } from '@kefu/config';
import type { AuthInfo } from '../auth/auth-info.ts';
import { AGENT_AUTH_CHANGED, Authenticator, tokenFrom } from '../auth/authenticator.ts';
import { SESSION_ENDED, type SessionEndedMessage } from '../auth/session-service.ts';
import type { SessionClient, SessionPresence } from '../auth/session-presence.ts';
import type { Bus } from '../infra/bus.ts';
import type { Db } from '../infra/db.ts';
import type { Logger } from '../infra/logger.ts';
import { PLUGINS_CHANGED, type PluginEnablement } from '../plugins/plugin-enablement.ts';
import { runHandler, type SocketDispatcher } from '../plugins/socket-dispatcher.ts';
import { HEARTBEAT_MS, type PresenceService } from '../presence/presence-service.ts';
import type { VisitorService } from '../visitors/visitor-service.ts';
import type { VisitorCaller } from '../conversations/visitor-event-handlers.ts';
import type { ConversationQueries } from '../conversations/conversation-queries.ts';
import { VISITOR_LEFT_MS, type LiveVisitors } from '../visitors/live-visitors.ts';
import { viewerOf, VisitorScope } from '../visitors/visitor-scope.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { clientIp, parseCidrList } from '../http/client-ip.ts';
import { rooms, type RealtimeNotifier } from './realtime-notifier.ts';
import { announcePresence } from '../presence/presence-view.ts';

export { rooms };

/** How long an agent socket may act on its last read of the session without re-reading it. */
const AUTH_RECHECK_MS = 60_000;

/** One socket's events are handled one at a time, in arrival order: two sends are stored in the order typed. */
function inOrder(socket: Socket, task: () => Promise<void>): void {
  const previous: Promise<void> = socket.data.queue ?? Promise.resolve();
  socket.data.queue = previous.then(task).catch(() => undefined);
}

export interface GatewayDeps {
  config: KefuConfig;
  log: Logger;
  db: Db;
  bus: Bus;
  auth: Authenticator;
  dispatcher: SocketDispatcher;
  enablement: PluginEnablement;
  presence: PresenceService;
  /** Per-session presence for the login log (LOGINLOG-SESSION-2). */
  sessionPresence: SessionPresence;
  notifier: RealtimeNotifier;
  visitors: VisitorService;
  queries: ConversationQueries;
  /** Whether a block covers the visitor: its widget then shows the offline state (DISPLAY-BLOCKCHAT-13). */
  blocked: (companyId: number, visitorId: number, ip: string) => Promise<boolean>;
  /** An agent who comes online may take waiting visitors at once (ASSIGN-TRIGGER-12). */
  assignWaiting: (companyId: number) => Promise<unknown>;
  /** An agent back within the grace gets the conversations they left behind that nobody took (MENU-EXITCHATS-7). */
  reclaim: (companyId: number, agentId: number) => Promise<unknown>;
  live: LiveVisitors;
  visitorHandlers: Map<string, { spec: { schema: any; handler: (p: any, c: VisitorCaller) => Promise<unknown> } }>;
}

/**
 * socket.io with two namespaces: `/agent` (console, cookie or bearer session)
 * and `/visitor` (widget, server-issued visitor token). With REDIS_URL the
 * Redis adapter spans nodes. Presence heartbeats are written per node in one
 * statement per beat.
 */
export class RealtimeGateway {
  readonly io: Server;
  readonly agents: Namespace;
  readonly visitorsNs: Namespace;
  private closers: (() => Promise<unknown> | void)[] = [];
  private beat: NodeJS.Timeout;
  private readonly trusted: ReturnType<typeof parseCidrList>;

  constructor(
    server: http.Server,
    private readonly deps: GatewayDeps,
  ) {
    this.io = new Server(server, {
      serveClient: false,
      maxHttpBufferSize: 1e6,
      cors: { origin: true, credentials: false },
      connectionStateRecovery: undefined,
    });
    deps.notifier.attach(this.io);
    this.agents = this.io.of('/agent');
    this.visitorsNs = this.io.of('/visitor');
    this.agents.use((socket, next) => {
      this.authenticate(socket)
        .then((auth) => {
          if (!auth) return next(Object.assign(new Error('unauthenticated'), { data: { code: 'unauthenticated' } }));
          socket.data.auth = auth;
          socket.data.fresh = { auth, at: Date.now() };
          next();
        })
        .catch(next);
    });
    this.agents.on('connection', (socket) => void this.onAgent(socket));
    const trusted = (this.trusted = parseCidrList(deps.config.KEFU_TRUSTED_PROXIES));
    this.visitorsNs.use((socket, next) => {
      this.identifyVisitor(socket, trusted)
        .then((ok) => (ok ? next() : next(Object.assign(new Error('unknown_company'), { data: { code: 'unknown_company' } }))))
        .catch(next);
    });
    this.visitorsNs.on('connection', (socket) => void this.onVisitor(socket));
    this.closers.push(
      deps.bus.subscribe(SESSION_ENDED, (m: SessionEndedMessage) => {
        for (const id of m.sessionIds) {
          this.agents.local.to(rooms.session(id)).emit('session.ended', m.replacedBy ? { reason: m.reason, replacedBy: m.replacedBy } : { reason: m.reason });
          this.agents.local.in(rooms.session(id)).disconnectSockets(true);
        }
      }),
      deps.bus.subscribe(AGENT_AUTH_CHANGED, (m: { agentId: number }) => this.forgetAuthOf(m.agentId)),
      deps.bus.subscribe(PLUGINS_CHANGED, (m: { companyId?: number }) => void this.pushPlugins(m.companyId)),
    );
    this.beat = setInterval(() => void this.heartbeat(), HEARTBEAT_MS);
    this.beat.unref();
  }

  async useRedis(url: string): Promise<void> {
    const pub = createClient({ url });
    const sub = pub.duplicate();
    for (const c of [pub, sub]) c.on('error', (err) => this.deps.log.warn({ err }, 'socket.io redis adapter error'));
    await Promise.all([pub.connect(), sub.connect()]);
    this.io.adapter(createAdapter(pub, sub));
    this.closers.push(() => Promise.allSettled([pub.quit(), sub.quit()]));
  }

  private bearerOf(socket: Socket) {
    const t = socket.handshake.auth?.token;
    return tokenFrom(socket.handshake.headers.cookie, typeof t === 'string' ? `Bearer ${t}` : socket.handshake.headers.authorization);
  }

  private async authenticate(socket: Socket): Promise<AuthInfo | null> {
    const found = this.bearerOf(socket);
    if (!found) return null;
    // A cookie rides along on cross-site requests too: the console's socket must come from the console's origin.
    if (found.via === 'cookie') {
      const origin = socket.handshake.headers.origin;
      const own = [
        `http://${socket.handshake.headers.host}`,
        `https://${socket.handshake.headers.host}`,
        this.deps.config.PUBLIC_URL ? new URL(this.deps.config.PUBLIC_URL).origin : '',
      ];
      if (origin && !own.includes(origin)) return null;
    }
    return this.deps.auth.fromToken(found.token);
  }

  private onAgent(socket: Socket) {
    const auth = socket.data.auth as AuthInfo;
    // Listen before any await: a client may emit as soon as it sees `connect`; events wait for the rooms.
    const ready = this.setupAgent(socket, auth);
    socket.on('disconnect', () => {
      void this.deps.presence.disconnected(auth.companyId, auth.agent.id).catch(() => undefined);
      void this.sessionLeft(auth).catch(() => undefined);
    });
    socket.onAny((event: string, payload: unknown, ack?: (r: unknown) => void) =>
      inOrder(socket, async () => {
        if (typeof payload === 'function' && ack === undefined) [payload, ack] = [undefined, payload as (r: unknown) => void];
        await ready;
        const fresh = await this.currentAuth(socket);
        if (!fresh || fresh.restriction) {
          if (typeof ack === 'function') ack({ error: { code: fresh?.restriction ?? 'unauthenticated', message: 'Session not usable' } });
          if (!fresh) socket.disconnect(true);
          return;
        }
        await this.deps.dispatcher.dispatch(
          event,
          payload,
          { companyId: fresh.companyId, agentId: fresh.agent.id, sessionId: fresh.sessionId, socketId: socket.id, can: fresh.can, auth: fresh },
          ack,
        );
      }),
    );
  }

  /**
   * The session and rights behind an agent socket. Revocations apply at once
   * without a database read per event: ended sessions close their sockets
   * (SESSION_ENDED) and changed agents drop this copy (AGENT_AUTH_CHANGED), on
   * every node. A restricted session is re-read every time (its step may be
   * done), any other once a minute, which also slides its idle expiry.
   */
  private async currentAuth(socket: Socket): Promise<AuthInfo | null> {
    const kept = socket.data.fresh as { auth: AuthInfo; at: number } | undefined;
    if (kept && !kept.auth.restriction && Date.now() - kept.at < AUTH_RECHECK_MS) return kept.auth;
    const found = this.bearerOf(socket);
    const auth = found ? await this.deps.auth.fromToken(found.token).catch(() => null) : null;
    socket.data.fresh = auth ? { auth, at: Date.now() } : undefined;
    return auth;
  }

  private sessionClient(socket: Socket): SessionClient {
    const auth = socket.data.auth as AuthInfo;
    const ip = clientIp(socket.handshake.address, socket.handshake.headers['x-forwarded-for'] as string | undefined, this.trusted);
    return { companyId: auth.companyId, sessionId: auth.sessionId, ip, userAgent: socket.handshake.headers['user-agent'] };
  }

  /** The session's last console (on any node) closed: its presence is lost from now (LOGINLOG-SESSION-2). */
  private async sessionLeft(auth: AuthInfo) {
    if ((await this.agents.in(rooms.session(auth.sessionId)).fetchSockets()).length) return;
    await this.deps.sessionPresence.left(auth.companyId, auth.sessionId);
  }

  private forgetAuthOf(agentId: number) {
    for (const s of this.agents.sockets.values()) if ((s.data.auth as AuthInfo).agent.id === agentId) s.data.fresh = undefined;
  }

  private async setupAgent(socket: Socket, auth: AuthInfo) {
    try {
      if (!auth.restriction) await this.deps.reclaim(auth.companyId, auth.agent.id);
      const mine = await this.deps.queries.activeOf(new Tenant(this.deps.db, auth.companyId), auth.agent.id);
      await socket.join([
        rooms.company(auth.companyId),
        ...(auth.agent.role === 'admin' ? [rooms.admins(auth.companyId)] : []),
        rooms.agent(auth.agent.id),
        rooms.session(auth.sessionId),
        ...mine.map((c) => rooms.conversation(c.id)),
        // Rows of visitors limited to their icon's agent or group reach these consoles too (VISITOR-SCOPE-4).
        ...(viewerOf(auth).seesAll ? [VisitorScope.allRoom(auth.companyId)] : []),
      ]);
      if (!auth.restriction) {
        await this.deps.sessionPresence.connected(this.sessionClient(socket));
        const p = await this.deps.presence.connected(auth.companyId, auth.agent.id, auth.can('conversation.accept'));
        announcePresence(this.deps.notifier, auth.companyId, auth.agent.id, p.status);
        if (p.status === 'online') await this.deps.assignWaiting(auth.companyId);
      }
    } catch (err) {
      this.deps.log.warn({ err }, 'agent socket setup failed');
    }
  }

  private async identifyVisitor(socket: Socket, trusted: ReturnType<typeof parseCidrList>): Promise<boolean> {
    const publicId = Number(socket.handshake.auth?.companyId);
    if (!Number.isInteger(publicId)) return false;
    const company = await this.deps.db('companies').where({ public_id: publicId, status: 'active' }).first('id');
    if (!company) return false;
    const ip = clientIp(socket.handshake.address, socket.handshake.headers['x-forwarded-for'] as string | undefined, trusted);
    const token = typeof socket.handshake.auth?.token === 'string' ? socket.handshake.auth.token : undefined;
    const { visitor, token: kept } = await this.deps.visitors.identify(Number(company.id), token, { ip, userAgent: socket.handshake.headers['user-agent'] });
    socket.data.caller = { visitor, ip, userAgent: socket.handshake.headers['user-agent'] ?? '' } satisfies VisitorCaller;
    socket.data.token = kept;
    return true;
  }

  private onVisitor(socket: Socket) {
    const caller = socket.data.caller as VisitorCaller;
    const ready = (async () => {
      const open = await this.deps.queries.openOfVisitor(new Tenant(this.deps.db, caller.visitor.companyId), caller.visitor.id);
      await socket.join([rooms.visitor(caller.visitor.id), ...(open ? [rooms.conversation(open.id)] : [])]);
      const blocked = await this.deps.blocked(caller.visitor.companyId, caller.visitor.id, caller.ip);
      socket.emit('session', { token: socket.data.token, visitorNumber: caller.visitor.number, conversation: open, blocked });
      await this.pushVisitor(caller);
    })().catch((err) => this.deps.log.warn({ err }, 'visitor socket setup failed'));
    // A visitor whose last page has been gone for 30 s has left (VISITOR-ARRIVE-2); navigation fits inside that.
    socket.on('disconnect', () => {
      const timer = setTimeout(async () => {
        const still = await this.visitorsNs
          .in(rooms.visitor(caller.visitor.id))
          .fetchSockets()
          .catch(() => []);
        if (!still.length) await this.pushVisitor(caller).catch(() => undefined);
      }, VISITOR_LEFT_MS + 1000);
      timer.unref();
    });
    socket.onAny((event: string, payload: unknown, ack?: (r: unknown) => void) =>
      inOrder(socket, async () => {
        if (typeof payload === 'function' && ack === undefined) [payload, ack] = [undefined, payload as (r: unknown) => void];
        await ready;
        await runHandler(this.deps.visitorHandlers.get(event), event, payload, caller, ack, async () => undefined, this.deps.log);
      }),
    );
  }

  private async pushVisitor(caller: VisitorCaller) {
    await this.deps.live.push(caller.visitor.companyId, caller.visitor.id);
  }

  /** One write per node per beat for all agents and visitors connected here. */
  private async heartbeat() {
    try {
      const agentIds = [
        ...new Set([...this.agents.sockets.values()].filter((s) => !(s.data.auth as AuthInfo).restriction).map((s) => (s.data.auth as AuthInfo).agent.id)),
      ];
      await this.deps.presence.beat(agentIds);
      const live = [...this.agents.sockets.values()].filter((s) => !((s.data.fresh?.auth ?? s.data.auth) as AuthInfo).restriction);
      await this.deps.sessionPresence.beat(live.map((s) => this.sessionClient(s)));
      await this.deps.sessionPresence.sweep();
      const visitorIds = [...new Set([...this.visitorsNs.sockets.values()].map((s) => (s.data.caller as VisitorCaller).visitor.id))];
      if (visitorIds.length) await this.deps.db('visitors').whereIn('id', visitorIds).update({ last_seen_at: new Date() });
    } catch (err) {
      this.deps.log.warn({ err }, 'heartbeat failed');
    }
  }

  private async pushPlugins(companyId?: number) {
    const targets = companyId ? [companyId] : [...new Set([...this.agents.sockets.values()].map((s) => (s.data.auth as AuthInfo).companyId))];
    for (const id of targets) this.agents.local.to(rooms.company(id)).emit('plugins.changed', { plugins: await this.deps.enablement.enabledIds(id) });
  }

  /** Graceful: close sockets, stop beating, stop accepting. */
  async close(): Promise<void> {
    clearInterval(this.beat);
    this.agents.local.disconnectSockets(true);
    this.visitorsNs.local.disconnectSockets(true);
    for (const c of this.closers) await c();
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
  }
}
