import { QuotaService } from '../billing/quota-service.ts';
import { PhoneBlacklist, PHONE_BLOCK_PERMISSION } from '../blocking/phone-blacklist.ts';
import { pathToFileURL } from 'node:url';
import Router from '@koa/router';
import type { Context, Next } from 'koa';
import { inject, injectable, type DependencyContainer } from '../infra/di.ts';
import type { KefuConfig } from '@kefu/config';
import { AuditService } from '../accounts/audit-service.ts';
import { PasswordHasher } from '../accounts/password-hasher.ts';
import { PermissionCatalog } from '../accounts/permission-catalog.ts';
import { LoginLogService } from '../auth/login-log-service.ts';
import { SessionService } from '../auth/session-service.ts';
import { HookRegistry } from '../hooks/hook-registry.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { parseOr400 } from '../http/validate.ts';
import { AppError, conflict, notFound } from '../http/errors.ts';
import { SecretBox } from '../infra/crypto.ts';
import type { Db } from '../infra/db.ts';
import type { Logger } from '../infra/logger.ts';
import { migrateLatest, migrateRollbackAll } from '../infra/migrator.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { CronSupervisor } from './cron-supervisor.ts';
import { discoverPlugins, type DiscoveredPlugin } from './plugin-discovery.ts';
import { PluginEnablement } from './plugin-enablement.ts';
import type { PluginContext, PluginDefinition } from './plugin-types.ts';
import { SocketDispatcher } from './socket-dispatcher.ts';
import { ChannelService } from '../channels/channel-service.ts';
import { cardPayload } from '../protocol/card-schemas.ts';
import { ConversationService } from '../conversations/conversation-service.ts';
import { AssignmentService } from '../conversations/assignment-service.ts';
import { RoutingService } from '../conversations/routing-service.ts';
import { QueueBroadcaster } from '../conversations/queue-broadcaster.ts';

export type MakeApi = (router: Router, prefix: string, plugin: { id: string; isEnabled: (companyId: number) => boolean | Promise<boolean> }) => ApiRouter;

interface Loaded {
  meta: DiscoveredPlugin;
  def?: PluginDefinition;
  ctx?: PluginContext;
  router: Router;
  status: 'ok' | 'failed' | 'uninstalled';
  error?: string;
}

/** Discovers, migrates, starts and stops plugins; per-company enablement lives in PluginEnablement. */
@injectable()
export class PluginHost {
  private loaded = new Map<string, Loaded>();
  private parent?: DependencyContainer;

  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Logger) private readonly log: Logger,
    @inject(TOKENS.Config) private readonly config: KefuConfig,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(HookRegistry) private readonly hooks: HookRegistry,
    @inject(PluginEnablement) private readonly enablement: PluginEnablement,
    @inject(CronSupervisor) private readonly cron: CronSupervisor,
    @inject(SocketDispatcher) private readonly sockets: SocketDispatcher,
    @inject(PermissionCatalog) private readonly permissions: PermissionCatalog,
  ) {}

  /** Boot: a plugin whose migration or start fails is reported and stays off; the server keeps serving. */
  async boot(dirs: string[], makeApi: MakeApi, parent: DependencyContainer): Promise<void> {
    this.parent = parent;
    const { plugins, problems } = discoverPlugins(dirs);
    for (const p of problems) {
      this.log.error({ plugin: p.plugin.id, error: p.error }, 'plugin not loaded');
      this.loaded.set(p.plugin.id, { meta: p.plugin, router: new Router(), status: 'failed', error: p.error });
    }
    const states = new Map((await this.db('plugin_state').select()).map((r) => [r.plugin_id, r]));
    for (const meta of plugins) {
      const router = new Router({ prefix: `/api/p/${meta.id}` });
      const entry: Loaded = { meta, router, status: 'ok' };
      this.loaded.set(meta.id, entry);
      if (states.get(meta.id)?.status === 'uninstalled') {
        entry.status = 'uninstalled';
        continue;
      }
      const failedDep = meta.requires.find((r) => this.loaded.get(r)?.status !== 'ok');
      try {
        if (failedDep) throw new Error(`required plugin ${failedDep} is not running`);
        await migrateLatest(this.db, meta.id, meta.migrationsDir);
        const mod = await import(pathToFileURL(meta.entry).href);
        const def: PluginDefinition = mod.default;
        if (def?.manifest?.id !== meta.id) throw new Error(`server/index.ts must export definePlugin({manifest: {id: '${meta.id}'}})`);
        entry.def = def;
        entry.ctx = this.context(
          meta.id,
          parent,
          makeApi(router, `/api/p/${meta.id}`, { id: meta.id, isEnabled: (c) => this.enablement.isEnabled(c, meta.id) }),
        );
        def.register?.(entry.ctx);
        await def.start(entry.ctx);
        const permissions = [...(def.manifest.permissions ?? []), ...(def.manifest.usesPhoneBlacklist ? [PHONE_BLOCK_PERMISSION] : [])];
        if (permissions.length) this.permissions.registerPlugin(meta.id, permissions);
        this.enablement.runnable.add(meta.id);
        await this.saveState(meta, 'ok', null);
      } catch (err) {
        entry.status = 'failed';
        entry.error = err instanceof Error ? err.message : String(err);
        this.removeOwned(meta.id);
        this.log.error({ err, plugin: meta.id }, 'plugin failed to start; it stays disabled');
        await this.saveState(meta, 'failed', entry.error);
      }
    }
  }

  /** HTTP gate: /api/p/:pluginId/* → the plugin's own router. */
  gate() {
    return async (ctx: Context, next: Next) => {
      const m = ctx.path.match(/^\/api\/p\/([a-z][a-z0-9-]*)(\/|$)/);
      if (!m) return next();
      const entry = this.loaded.get(m[1]);
      if (!entry || entry.status !== 'ok') throw notFound(`No plugin ${m[1]}`);
      await entry.router.routes()(ctx as never, async () => {
        throw notFound();
      });
    };
  }

  list() {
    return [...this.loaded.values()].map((l) => ({
      id: l.meta.id,
      version: l.meta.version,
      name: l.def?.manifest.name ?? { 'zh-CN': l.meta.id, en: l.meta.id },
      description: l.def?.manifest.description ?? { 'zh-CN': '', en: '' },
      quantityUnit: l.def?.manifest.quantityUnit ?? null,
      quota: !!l.def?.manifest.quota,
      requires: l.meta.requires,
      status: l.status,
      error: l.error ?? null,
    }));
  }

  async enable(companyId: number, id: string, opts: { startsOn?: string | null; expiresOn?: string | null; quantity?: number | null }, actor: string) {
    const entry = this.runnable(id);
    for (const r of entry.meta.requires)
      if (!(await this.enablement.isEnabled(companyId, r))) throw conflict('plugin_requires_missing', `Enable ${r} first`, { requires: r });
    const { firstEnable } = await this.enablement.set(companyId, id, { enabled: true, ...opts }, actor);
    if (firstEnable) await entry.def!.install?.(entry.ctx!, companyId);
    await this.hooks.emit('plugin.enabled', { pluginId: id }, { companyId, actor: { kind: 'system' } });
  }

  async disable(companyId: number, id: string, actor: string) {
    this.known(id);
    for (const other of this.loaded.values())
      if (other.meta.requires.includes(id) && (await this.enablement.isEnabled(companyId, other.meta.id)))
        throw conflict('plugin_required_by', `Disable ${other.meta.id} first`, { requiredBy: other.meta.id });
    await this.enablement.set(companyId, id, { enabled: false }, actor);
    // Its hooks no longer run for this company: conversations it was serving go to the normal queue at once (ROBOT-ENABLE-1).
    await this.releaseServed(companyId, id);
    await this.hooks.emit('plugin.disabled', { pluginId: id }, { companyId, actor: { kind: 'system' } });
  }

  /** Explicit action: stop, remove everything it registered, roll back its migrations. */
  async uninstall(id: string) {
    const entry = this.runnable(id);
    await entry.def!.stop?.(entry.ctx!);
    await entry.def!.uninstall?.(entry.ctx!);
    this.removeOwned(id);
    await migrateRollbackAll(this.db, id, entry.meta.migrationsDir);
    await this.db('company_plugins').where({ plugin_id: id }).update({ enabled: false, installed_at: null });
    entry.status = 'uninstalled';
    await this.saveState(entry.meta, 'uninstalled', null);
    await this.enablement.invalidateAll();
  }

  async stopAll() {
    for (const entry of [...this.loaded.values()].reverse()) {
      if (entry.status !== 'ok') continue;
      try {
        await entry.def?.stop?.(entry.ctx!);
      } catch (err) {
        this.log.warn({ err, plugin: entry.meta.id }, 'plugin stop failed');
      }
      this.removeOwned(entry.meta.id);
    }
  }

  private known(id: string): Loaded {
    const entry = this.loaded.get(id);
    if (!entry) throw new AppError(404, 'not_found', `No plugin ${id}`);
    return entry;
  }

  private runnable(id: string): Loaded {
    const entry = this.known(id);
    if (entry.status !== 'ok') throw conflict('plugin_not_running', `Plugin ${id} is ${entry.status}${entry.error ? `: ${entry.error}` : ''}`);
    return entry;
  }

  private removeOwned(id: string) {
    this.hooks.removeOwner(id);
    this.cron.removeOwner(id);
    this.sockets.removeOwner(id);
    this.enablement.runnable.delete(id);
    const entry = this.loaded.get(id);
    if (entry) {
      entry.router = new Router({ prefix: `/api/p/${id}` });
      void entry.ctx?.container.dispose();
    }
  }

  /** Clears `served_by_plugin` (all of the plugin's conversations, or one) and runs assignment; returns how many. */
  private async releaseServed(companyId: number, id: string, conversationId?: number): Promise<number> {
    const q = new Tenant(this.db, companyId).q('conversations').where({ served_by_plugin: id });
    if (conversationId) q.where({ id: conversationId });
    const n = await q.update({ served_by_plugin: null });
    if (n && this.parent) {
      await this.parent.resolve(QueueBroadcaster).changed(companyId);
      await this.parent.resolve(AssignmentService).assignWaiting(companyId);
    }
    return n;
  }

  private async saveState(meta: DiscoveredPlugin, status: string, error: string | null) {
    await this.db('plugin_state').insert({ plugin_id: meta.id, version: meta.version, status, error, updated_at: new Date() }).onConflict('plugin_id').merge();
  }

  private context(id: string, c: DependencyContainer, http: ApiRouter): PluginContext {
    const container = c.createChildContainer();
    const sessions = c.resolve(SessionService);
    const hasher = c.resolve(PasswordHasher);
    const audit = c.resolve(AuditService);
    const loginLog = c.resolve(LoginLogService);
    const secret = this.config.KEFU_SECRET ?? 'kefu-development-secret-change-me-in-production';
    return {
      id,
      log: this.log.child({ plugin: id }),
      config: this.config,
      db: this.db,
      tenant: (companyId) => new Tenant(this.db, companyId),
      container,
      clock: this.clock,
      secrets: new SecretBox(secret),
      hooks: {
        addFilter: (name, fn, opts) => this.hooks.addFilter(name, fn, { ...opts, owner: id }),
        addAction: (name, fn, opts) => this.hooks.addAction(name, fn, { ...opts, owner: id }),
      },
      http,
      onSocket: (event, spec) => this.sockets.on(id, event, spec),
      schedule: (name, expr, job) => this.cron.schedule(id, name, expr, job),
      isEnabled: (companyId) => this.enablement.isEnabled(companyId, id),
      enabledCompanies: async () => {
        const rows = await this.db('company_plugins').where({ plugin_id: id, enabled: true }).select('company_id');
        const out: number[] = [];
        for (const r of rows) if (await this.enablement.isEnabled(Number(r.company_id), id)) out.push(Number(r.company_id));
        return out;
      },
      channels: {
        inbound: (companyId, m) => c.resolve(ChannelService).inbound(companyId, m),
        reportDelivery: (companyId, messageId, status, error) => c.resolve(ChannelService).reportDelivery(companyId, messageId, status, error),
      },
      conversations: {
        send: (companyId, conversationId, m) =>
          c.resolve(ConversationService).send(
            companyId,
            conversationId,
            { kind: 'plugin', pluginId: id, name: m.name ?? this.loaded.get(id)?.def?.manifest.name['zh-CN'] ?? id },
            // A card's buttons are checked here, where plugins send them: only http(s) URLs (CONV-MESSAGE-8).
            {
              clientId: m.clientId,
              kind: m.kind,
              text: m.text,
              payload: m.kind === 'card' ? parseOr400(cardPayload, m.payload ?? {}, 'payload') : (m.payload ?? null),
            },
          ),
        claim: async (companyId, conversationId) => {
          const n = await new Tenant(this.db, companyId)
            .q('conversations')
            .where({ id: conversationId, status: 'queued' })
            .whereNull('served_by_plugin')
            .update({ served_by_plugin: id });
          if (n) await c.resolve(QueueBroadcaster).changed(companyId);
          return n > 0;
        },
        handOver: async (companyId, conversationId) => (await this.releaseServed(companyId, id, conversationId)) > 0,
        anyoneServing: (companyId, groupId) => c.resolve(RoutingService).anyoneServing(companyId, groupId ?? null),
      },
      quota: {
        debit: (companyId, units, ref) => c.resolve(QuotaService).debit(companyId, id, units, `plugin:${id}`, ref),
        refund: (companyId, units, ref) => c.resolve(QuotaService).credit(companyId, id, units, 'refund', `plugin:${id}`, ref),
        left: (companyId) => c.resolve(QuotaService).left(companyId, id),
      },
      phoneBlacklist: {
        check: (companyId, phone) => c.resolve(PhoneBlacklist).check(companyId, phone),
      },
      accounts: {
        verifyPassword: async (companyId, agentPk, password) => {
          const a = await this.db('agents').where({ id: agentPk, company_id: companyId }).first('password_hash');
          return hasher.verify(a?.password_hash, password);
        },
        endSessions: (companyId, agentPk, reason) => sessions.end(companyId, { agentId: agentPk }, reason),
        liftRestriction: (sessionId) => sessions.liftRestriction(sessionId),
        audit: (companyId, e) => audit.write(new Tenant(this.db, companyId), e),
        loginEvent: (companyId, e) => loginLog.event(new Tenant(this.db, companyId), e),
      },
    };
  }
}
