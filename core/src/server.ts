import 'reflect-metadata';
import http from 'node:http';
import path from 'node:path';
import Koa from 'koa';
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { DependencyContainer } from './infra/di.ts';
import type { KefuConfig } from '@kefu/config';
import { registerAgentRoutes } from './accounts/agent-routes.ts';
import { registerCompanyRoutes } from './accounts/company-routes.ts';
import { registerGroupRoutes } from './accounts/group-routes.ts';
import { registerProfileRoutes } from './accounts/profile-routes.ts';
import { registerAuthRoutes } from './auth/auth-routes.ts';
import { Authenticator } from './auth/authenticator.ts';
import { registerLoginLogJobs, registerLoginLogRoutes } from './auth/login-log-routes.ts';
import { registerFileRoutes } from './files/file-routes.ts';
import { buildContainer } from './container.ts';
import { ApiRouter } from './http/api-router.ts';
import { parseCidrList, requestIp } from './http/client-ip.ts';
import { renderDocsPage } from './http/docs-page.ts';
import { errorMiddleware } from './http/error-middleware.ts';
import { OpenApiRegistry } from './http/openapi.ts';
import { requestLogger } from './http/request-logger.ts';
import { securityHeaders, widgetCors } from './http/security.ts';
import { LocalBus, RedisBus, type Bus } from './infra/bus.ts';
import { createAsyncCommitDb, createDb, type Db } from './infra/db.ts';
import { createLogger, type Logger } from './infra/logger.ts';
import { coreMigrationsDir, migrateLatest } from './infra/migrator.ts';
import { withBootLock } from './infra/boot-lock.ts';
import { CronSupervisor } from './plugins/cron-supervisor.ts';
import { PluginEnablement } from './plugins/plugin-enablement.ts';
import { PluginHost } from './plugins/plugin-host.ts';
import { registerPluginRoutes } from './plugins/plugin-routes.ts';
import { SocketDispatcher } from './plugins/socket-dispatcher.ts';
import { RealtimeGateway } from './realtime/gateway.ts';
import { systemClock, type Clock } from './tokens.ts';
import { staticRoutes } from './web/static-routes.ts';
import { redisReady } from './infra/redis-health.ts';
import { registerAgentEvents } from './conversations/agent-event-handlers.ts';
import { collabVisitorHandlers, registerCollabEvents } from './conversations/collab-event-handlers.ts';
import { registerHelpEvents } from './conversations/help-event-handlers.ts';
import { registerConversationRoutes } from './conversations/conversation-routes.ts';
import { registerTranscriptMail } from './conversations/transcript-mail-routes.ts';
import { registerBlockJobs, registerBlockRoutes } from './blocking/block-routes.ts';
import { BlockService } from './blocking/block-service.ts';
import { registerBeaconRoutes } from './visitors/beacon-routes.ts';
import { registerVisitorPanelRoutes } from './visitors/visitor-panel-routes.ts';
import { registerInternalEvents } from './internal/internal-event-handlers.ts';
import { registerNoticeJobs, registerNoticeRoutes } from './notices/notice-routes.ts';
import { visitorEventHandlers } from './conversations/visitor-event-handlers.ts';
import { ConversationQueries } from './conversations/conversation-queries.ts';
import { PresenceService } from './presence/presence-service.ts';
import { SessionPresence } from './auth/session-presence.ts';
import { RealtimeNotifier } from './realtime/realtime-notifier.ts';
import { VisitorService } from './visitors/visitor-service.ts';
import { ChannelService } from './channels/channel-service.ts';
import { AssignmentService } from './conversations/assignment-service.ts';
import { registerVisitorRowUpdates } from './visitors/visitor-row-updates.ts';
import { registerSegments } from './conversations/segment-service.ts';
import { LiveVisitors } from './visitors/live-visitors.ts';
import { registerSettingsRoutes } from './settings/settings-routes.ts';
import { prechatVisitorHandlers } from './settings/prechat-handlers.ts';
import { leaveMessageVisitorHandlers, registerLeaveMessageRoutes, registerMailJobs } from './leavemsg/leave-message-routes.ts';
import { registerLeaveMessageOutreachRoutes } from './leavemsg/leave-message-outreach.ts';
import { registerPolicyRoutes } from './policies/policy-routes.ts';
import { registerAssignmentSettingsRoutes } from './conversations/assignment-settings-routes.ts';
import { policyVisitorHandlers, registerPolicyJobs, watchVisitorConnections } from './policies/policy-jobs.ts';
import { registerQueueJobs } from './conversations/queue-timers.ts';
import { LeftBehind, registerLeftBehind } from './conversations/left-behind.ts';
import { registerOverflowJob } from './conversations/group-overflow.ts';
import { registerQueueDashboardRoutes } from './conversations/queue-dashboard.ts';
import { registerHistoryRoutes } from './history/history-routes.ts';
import { registerExportJobRoutes, registerExportJobs } from './exports/export-job-routes.ts';
import { ExportJobs } from './exports/export-jobs.ts';
import { ratingVisitorHandlers, registerRatingEvents } from './ratings/rating-handlers.ts';
import { infoFormVisitorHandlers, registerInfoFormEvents } from './settings/info-form-handlers.ts';
import { profileVisitorHandlers } from './visitors/profile-handlers.ts';
import { registerAgentToolRoutes } from './agent-tools/tool-routes.ts';
import { registerTopicRoutes } from './agent-tools/topic-routes.ts';
import { registerIconRoutes } from './icons/icon-routes.ts';
import { registerAvatarRoutes } from './avatars/avatar-routes.ts';
import { registerMobileRoutes } from './mobile/mobile-routes.ts';
import { registerIconRouting } from './icons/icon-routing.ts';
import { registerRegionRoutes } from './region/region-routes.ts';
import { registerBillingRoutes } from './billing/billing-routes.ts';
import { registerFeedbackRoutes } from './feedback/feedback-routes.ts';
import { registerPreferenceRoutes } from './preferences/preference-routes.ts';
import { registerAboutRoutes } from './about/about-routes.ts';
import { registerSignupRoutes } from './signup/signup-routes.ts';
import { buildInfo } from './about/build-info.ts';
import { startNodeHeartbeat } from './about/node-heartbeat.ts';

export const VERSION = '0.1.0';

export interface KefuServer {
  config: KefuConfig;
  log: Logger;
  db: Db;
  container: DependencyContainer;
  http: http.Server;
  gateway: RealtimeGateway;
  url: string;
  close(): Promise<void>;
}

export interface CreateOptions {
  /** Embedded database directory override (tests use `memory://`). */
  pgliteDataDir?: string;
  /** Embedded database: start from this dump (PGlite dumpDataDir) instead of an empty database. */
  pgliteFrom?: Blob;
  clock?: Clock;
  log?: Logger;
  /** Reuse an existing knex (tests share one database among servers). */
  db?: Db;
  /** Startup work that must be done before the node takes requests and reports ready (the first company). */
  beforeListen?: (node: Pick<KefuServer, 'config' | 'db' | 'container'>) => Promise<void>;
}

/** Builds and starts a Kefu node: database, migrations, plugins, HTTP and sockets. */
export async function createServer(config: KefuConfig, opts: CreateOptions = {}): Promise<KefuServer> {
  const log = opts.log ?? createLogger(config.LOG_LEVEL);
  const db = opts.db ?? (await createDb(config, { pgliteDataDir: opts.pgliteDataDir, pgliteFrom: opts.pgliteFrom }));
  await withBootLock(db, () => migrateLatest(db, 'core', coreMigrationsDir));
  const bus: Bus = config.REDIS_URL ? await RedisBus.connect(config.REDIS_URL, log) : new LocalBus();
  const appendDb = createAsyncCommitDb(db);
  const container = buildContainer({ config, log, db, appendDb, bus, clock: opts.clock ?? systemClock });

  const openapi = new OpenApiRegistry();
  const authenticator = container.resolve(Authenticator);
  const operatorToken = config.KEFU_OPERATOR_TOKEN;
  const apiDeps = {
    openapi,
    authenticate: (ctx: Koa.Context) => authenticator.fromContext(ctx),
    isOperator: (ctx: Koa.Context) => !!operatorToken && ctx.get('authorization') === `Bearer ${operatorToken}`,
  };
  const coreRouter = new Router();
  const api = new ApiRouter(coreRouter, apiDeps);
  for (const register of [
    registerAuthRoutes,
    registerAgentRoutes,
    registerGroupRoutes,
    registerCompanyRoutes,
    registerProfileRoutes,
    registerLoginLogRoutes,
    registerPluginRoutes,
    registerNoticeRoutes,
    registerFileRoutes,
    registerConversationRoutes,
    registerTranscriptMail,
    registerQueueDashboardRoutes,
    registerBlockRoutes,
    registerBeaconRoutes,
    registerVisitorPanelRoutes,
    registerSettingsRoutes,
    registerLeaveMessageRoutes,
    registerLeaveMessageOutreachRoutes,
    registerPolicyRoutes,
    registerAssignmentSettingsRoutes,
    registerHistoryRoutes,
    registerExportJobRoutes,
    registerAgentToolRoutes,
    registerTopicRoutes,
    registerIconRoutes,
    registerAvatarRoutes,
    registerMobileRoutes,
    registerRegionRoutes,
    registerBillingRoutes,
    registerFeedbackRoutes,
    registerPreferenceRoutes,
    registerAboutRoutes,
    registerSignupRoutes,
  ])
    register(api, container);

  const host = container.resolve(PluginHost);
  const pluginDirs = config.KEFU_PLUGINS_DIR.split(',').map((d) => path.resolve(d.trim()));
  await withBootLock(db, () => host.boot(pluginDirs, (router, prefix, plugin) => new ApiRouter(router, { ...apiDeps, plugin }, prefix), container));

  let ready = true;
  coreRouter.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok', version: VERSION };
  });
  coreRouter.get('/readyz', async (ctx) => {
    const checks: Record<string, string> = {};
    try {
      await db.raw('select 1');
      checks.database = 'ok';
    } catch {
      checks.database = 'down';
    }
    if (config.REDIS_URL) checks.redis = (await redisReady(config.REDIS_URL)) ? 'ok' : 'down';
    const ok = ready && Object.values(checks).every((v) => v === 'ok');
    ctx.status = ok ? 200 : 503;
    ctx.body = { status: ok ? 'ready' : ready ? 'degraded' : 'shutting_down', checks };
  });
  coreRouter.get('/api/openapi.json', (ctx) => {
    ctx.body = openapi.document({ version: VERSION, serverUrl: config.derivedPublicUrl });
  });
  coreRouter.get('/api/docs', (ctx) => {
    ctx.type = 'html';
    ctx.body = renderDocsPage(openapi.document({ version: VERSION, serverUrl: config.derivedPublicUrl }));
  });

  const trusted = parseCidrList(config.KEFU_TRUSTED_PROXIES);
  const publicOrigin = config.PUBLIC_URL ? new URL(config.PUBLIC_URL).origin : undefined;
  const app = new Koa({ proxy: false });
  app.use(async (ctx, next) => {
    ctx.state.ip = requestIp(ctx, trusted);
    ctx.state.publicOrigin = publicOrigin;
    await next();
  });
  app.use(requestLogger(log));
  app.use(errorMiddleware(log));
  app.use(securityHeaders());
  app.use(widgetCors());
  app.use(bodyParser({ enableTypes: ['json'], jsonLimit: config.KEFU_BODY_LIMIT, encoding: 'utf-8' }));
  app.use(coreRouter.routes());
  app.use(coreRouter.allowedMethods());
  app.use(host.gate());
  app.use(staticRoutes(db));

  registerAgentEvents(container);
  registerCollabEvents(container);
  registerHelpEvents(container);
  registerRatingEvents(container);
  registerInfoFormEvents(container);
  registerInternalEvents(container);
  registerNoticeJobs(container);
  registerMailJobs(container);
  registerLoginLogJobs(container);
  registerExportJobs(container);
  registerPolicyJobs(container);
  registerBlockJobs(container);
  container.resolve(ChannelService).start();
  registerVisitorRowUpdates(container);
  registerSegments(container);
  registerIconRouting(container);
  // Safety net of ASSIGN-TRIGGER-12: every 5 s, one node places whatever waits and can be placed.
  container.resolve(CronSupervisor).schedule('core', 'assign-sweep', '*/5 * * * * *', async () => {
    await container.resolve(AssignmentService).expireOffers();
    const companies = await db('conversations').where({ status: 'queued' }).distinct('company_id');
    for (const { company_id } of companies) await container.resolve(AssignmentService).assignWaiting(Number(company_id));
  });
  // Aborted uploads and dropped clients surface here; they are the client's doing, not ours.
  app.on('error', (err) => log.debug({ err: err?.message }, 'request stream error'));
  const server = http.createServer(app.callback());
  const gateway = new RealtimeGateway(server, {
    config,
    log,
    db,
    bus,
    auth: authenticator,
    dispatcher: container.resolve(SocketDispatcher),
    enablement: container.resolve(PluginEnablement),
    presence: container.resolve(PresenceService),
    sessionPresence: container.resolve(SessionPresence),
    notifier: container.resolve(RealtimeNotifier),
    visitors: container.resolve(VisitorService),
    queries: container.resolve(ConversationQueries),
    blocked: async (companyId, visitorId, ip) => !!(await container.resolve(BlockService).match(companyId, visitorId, ip, false)),
    assignWaiting: (companyId) => container.resolve(AssignmentService).assignWaiting(companyId),
    reclaim: (companyId, agentId) => container.resolve(LeftBehind).reclaim(companyId, agentId),
    live: container.resolve(LiveVisitors),
    visitorHandlers: new Map([
      ...visitorEventHandlers(container),
      ...collabVisitorHandlers(container),
      ...prechatVisitorHandlers(container),
      ...leaveMessageVisitorHandlers(container),
      ...ratingVisitorHandlers(container),
      ...infoFormVisitorHandlers(container),
      ...profileVisitorHandlers(container),
      ...policyVisitorHandlers(container),
    ]),
  });
  watchVisitorConnections(container, gateway.visitorsNs);
  registerQueueJobs(container, gateway.visitorsNs);
  registerLeftBehind(container);
  registerOverflowJob(container);
  if (config.REDIS_URL) await gateway.useRedis(config.REDIS_URL);
  await opts.beforeListen?.({ config, db, container });
  await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
  const nodeBeat = startNodeHeartbeat(db, log, buildInfo(config.KEFU_BUILD_COMMIT));
  const address = server.address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  log.info({ url, database: config.DATABASE_URL ? 'postgresql' : 'embedded', redis: !!config.REDIS_URL }, 'kefu node started');

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      ready = false;
      await container.resolve(CronSupervisor).stopAll();
      await container.resolve(ExportJobs).stop();
      await gateway.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
      await host.stopAll();
      await nodeBeat.stop();
      container.resolve(PluginEnablement).dispose();
      await bus.close();
      if (appendDb !== db) await appendDb.destroy();
      if (!opts.db) await db.destroy();
      log.info('kefu node stopped');
    })());
  return { config, log, db, container, http: server, gateway, url, close };
}
