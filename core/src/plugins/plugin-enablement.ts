import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import type { Bus } from '../infra/bus.ts';
import { TOKENS, type Clock } from '../tokens.ts';

export interface Licence {
  pluginId: string;
  enabled: boolean;
  startsOn: string | null;
  expiresOn: string | null;
  quantity: number | null;
  installedAt: Date | null;
}

/** Bus channel: a company's plugin set changed; every node drops its cached copy. */
export const PLUGINS_CHANGED = 'plugins.changed';

const day = (d: unknown) => (d == null ? null : d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10));

/**
 * Per-company plugin licences (company_plugins), cached per company and
 * invalidated over the bus so enabling/disabling reaches every node at once.
 * An expired licence (past the end of its expiry day) behaves as disabled.
 */
@injectable()
export class PluginEnablement {
  private cache = new Map<number, Map<string, Licence>>();
  private loading = new Map<number, Promise<Map<string, Licence>>>();
  private unsubscribe: () => void;
  /** Installed and started plugins (set by the host); others are never enabled. */
  runnable = new Set<string>();

  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Bus) private readonly bus: Bus,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {
    this.unsubscribe = bus.subscribe(PLUGINS_CHANGED, (m: { companyId?: number }) => {
      if (m?.companyId) this.cache.delete(m.companyId);
      else this.cache.clear();
    });
  }

  dispose() {
    this.unsubscribe();
  }

  async invalidateAll() {
    this.cache.clear();
    await this.bus.publish(PLUGINS_CHANGED, {});
  }

  /** Loads (or reuses) the licences of a company; call before the sync check on hot paths. */
  async load(companyId: number): Promise<Map<string, Licence>> {
    const hit = this.cache.get(companyId);
    if (hit) return hit;
    let p = this.loading.get(companyId);
    if (!p) {
      p = this.db('company_plugins')
        .where({ company_id: companyId })
        .then((rows) => {
          const m = new Map<string, Licence>(
            rows.map((r) => [
              r.plugin_id,
              {
                pluginId: r.plugin_id,
                enabled: r.enabled,
                startsOn: day(r.starts_on),
                expiresOn: day(r.expires_on),
                quantity: r.quantity,
                installedAt: r.installed_at,
              },
            ]),
          );
          this.cache.set(companyId, m);
          return m;
        })
        .finally(() => this.loading.delete(companyId));
      this.loading.set(companyId, p);
    }
    return p;
  }

  /** Synchronous check from the cache (hooks, socket dispatch); false while not loaded. */
  isEnabledCached(companyId: number, pluginId: string): boolean {
    const l = this.cache.get(companyId)?.get(pluginId);
    return !!l && this.runnable.has(pluginId) && this.isActive(l);
  }

  async isEnabled(companyId: number, pluginId: string): Promise<boolean> {
    await this.load(companyId);
    return this.isEnabledCached(companyId, pluginId);
  }

  async enabledIds(companyId: number): Promise<string[]> {
    const m = await this.load(companyId);
    return [...m.values()]
      .filter((l) => this.runnable.has(l.pluginId) && this.isActive(l))
      .map((l) => l.pluginId)
      .sort();
  }

  isActive(l: Licence): boolean {
    if (!l.enabled) return false;
    const today = this.clock.now().toISOString().slice(0, 10);
    if (l.startsOn && today < l.startsOn) return false;
    // Valid through the end of its expiry day (BILLING-REMAIN-3).
    return !l.expiresOn || today <= l.expiresOn;
  }

  async set(
    companyId: number,
    pluginId: string,
    patch: { enabled: boolean; startsOn?: string | null; expiresOn?: string | null; quantity?: number | null },
    actor: string,
  ) {
    const old = (await this.load(companyId)).get(pluginId) ?? null;
    const firstEnable = patch.enabled && !old?.installedAt;
    await this.db.transaction(async (trx) => {
      const row: Record<string, unknown> = { company_id: companyId, plugin_id: pluginId, enabled: patch.enabled, updated_at: trx.fn.now() };
      for (const [k, col] of [
        ['startsOn', 'starts_on'],
        ['expiresOn', 'expires_on'],
        ['quantity', 'quantity'],
      ] as const)
        if (patch[k] !== undefined) row[col] = patch[k];
      if (firstEnable) row.installed_at = trx.fn.now();
      await trx('company_plugins').insert(row).onConflict(['company_id', 'plugin_id']).merge();
      await trx('licence_history').insert({
        company_id: companyId,
        product: pluginId,
        actor,
        old_value: JSON.stringify(old),
        new_value: JSON.stringify(patch),
      });
    });
    this.cache.delete(companyId);
    await this.bus.publish(PLUGINS_CHANGED, { companyId });
    return { firstEnable };
  }
}
