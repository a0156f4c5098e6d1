import type { KefuConfig } from '@kefu/config';
import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { fieldError, notFound } from '../http/errors.ts';
import { parseOr400 } from '../http/validate.ts';
import { PluginEnablement, type Licence } from '../plugins/plugin-enablement.ts';
import { PluginHost } from '../plugins/plugin-host.ts';
import { QuotaService } from './quota-service.ts';
import { licenceInput, renewalContact, type RenewalContact } from './billing-schemas.ts';

const SEATS_NAME = { 'zh-CN': '坐席', en: 'Seats' };
const SEATS_UNIT = { 'zh-CN': '个客服ID', en: 'agent IDs' };
const EXPIRING_DAYS = 30;
const CONTACT_KEY = 'renewal_contact';

const dayNumber = (d: string) => Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10)) / 86_400_000;

/** Whole days from `today` to the expiry day; the licence is still valid on its expiry day (0). */
export const remainingDays = (today: string, expiresOn: string) => dayNumber(expiresOn) - dayNumber(today);

/** The licence's state on `today` (BILLING-VIEW-1). */
export function licenceState(today: string, l: { enabled: boolean; startsOn: string | null; expiresOn: string | null } | undefined) {
  if (!l?.enabled) return 'not_activated' as const;
  if (l.startsOn && today < l.startsOn) return 'not_started' as const;
  if (!l.expiresOn) return 'active' as const;
  const left = remainingDays(today, l.expiresOn);
  if (left < 0) return 'expired' as const;
  return left <= EXPIRING_DAYS ? ('expiring' as const) : ('active' as const);
}

const actorOf = (actor: string, agents: Map<number, { agent_id: string; nickname: string }>) => {
  const id = /^agent:(\d+)$/.exec(actor)?.[1];
  if (!id) return { kind: 'operator' as const, agentId: null, name: null };
  const a = agents.get(Number(id));
  return { kind: 'admin' as const, agentId: a?.agent_id ?? null, name: a?.nickname ?? null };
};

/** Only the fields a licence change is about, whatever shape the writer stored. */
const licenceFields = (v: unknown): Record<string, unknown> | null => {
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  return Object.fromEntries(['enabled', 'startsOn', 'expiresOn', 'quantity'].filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
};

/**
 * The billing page (BILLING §9.1): seats and every installed plugin with its
 * licence, remaining time in the company's time zone, the change history and
 * the operator's renewal contact. Licences themselves live in company_plugins
 * (PluginEnablement); seats in companies.seats, enforced by AgentService.
 */
@injectable()
export class BillingService {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Config) private readonly config: KefuConfig,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(PluginEnablement) private readonly enablement: PluginEnablement,
    @inject(PluginHost) private readonly host: PluginHost,
    @inject(QuotaService) private readonly quotas: QuotaService,
  ) {}

  async view(companyId: number) {
    const company = await this.db('companies').where({ id: companyId }).first('seats', 'timezone');
    if (!company) throw notFound('Company not found');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: company.timezone }).format(this.clock.now());
    const [{ count }] = await this.db('agents')
      .where({ company_id: companyId })
      .whereNull('disabled_at')
      .whereNull('deleted_at')
      .count<{ count: string }[]>('* as count');
    const used = Number(count);
    const seats = company.seats == null ? null : Number(company.seats);
    const licences = await this.enablement.load(companyId);
    const rows = [
      {
        product: 'seats',
        name: SEATS_NAME,
        description: null,
        unit: SEATS_UNIT,
        quantity: seats,
        used,
        startsOn: null,
        expiresOn: null,
        remainingDays: null,
        state: 'active' as const,
        quota: null,
      },
      ...(await Promise.all(
        this.host
          .list()
          .filter((p) => p.status !== 'uninstalled')
          .sort((a, b) => a.id.localeCompare(b.id))
          .map(async (p) => {
            const l: Licence | undefined = licences.get(p.id);
            return {
              product: p.id,
              name: p.name,
              description: p.description,
              unit: p.quantityUnit,
              quantity: p.quantityUnit ? (l?.quantity ?? null) : null,
              used: null,
              startsOn: l?.startsOn ?? null,
              expiresOn: l?.expiresOn ?? null,
              remainingDays: l?.expiresOn ? remainingDays(today, l.expiresOn) : null,
              state: licenceState(today, l),
              quota: p.quota ? await this.quotas.summary(companyId, p.id, company.timezone) : null,
            };
          }),
      )),
    ];
    return {
      mode: this.config.KEFU_LICENCE_MODE,
      today,
      rows,
      seatsOverLimit: seats != null && used > seats,
      contact: await this.contact(),
      history: await this.history(companyId),
    };
  }

  private async history(companyId: number) {
    const rows = await this.db('licence_history').where({ company_id: companyId }).orderBy('id', 'desc').limit(200);
    const ids = [...new Set(rows.map((r) => /^agent:(\d+)$/.exec(r.actor)?.[1]).filter(Boolean))].map(Number);
    const agents = new Map(
      (ids.length ? await this.db('agents').where({ company_id: companyId }).whereIn('id', ids).select('id', 'agent_id', 'nickname') : []).map((a) => [
        Number(a.id),
        a,
      ]),
    );
    return rows.map((r) => ({
      id: Number(r.id),
      at: new Date(r.created_at).toISOString(),
      product: r.product,
      actor: actorOf(r.actor, agents),
      old: licenceFields(r.old_value),
      new: licenceFields(r.new_value),
    }));
  }

  async contact(): Promise<RenewalContact | null> {
    const row = await this.db('server_settings').where({ key: CONTACT_KEY }).first('value');
    const c = row?.value as RenewalContact | undefined;
    return c && Object.values(c).some(Boolean) ? c : null;
  }

  async setContact(input: RenewalContact) {
    const value = JSON.stringify(parseOr400(renewalContact, input));
    await this.db('server_settings').insert({ key: CONTACT_KEY, value, updated_at: this.db.fn.now() }).onConflict('key').merge();
    return this.contact();
  }

  /** The operator adds units to a company's quota product (BILLING-QUOTA-5); answers what is left. */
  async topUp(companyId: number, product: string, units: number): Promise<number> {
    const plugin = this.host.list().find((p) => p.id === product && p.status !== 'uninstalled');
    if (!plugin) throw fieldError('product', 'unknown_product', `No product ${product}`);
    if (!plugin.quota) throw fieldError('product', 'not_a_quota', `${product} is not sold in units`);
    return this.quotas.credit(companyId, product, units, 'topup', 'operator');
  }

  /**
   * The operator sets a product's licence for a company (API and command line alike):
   * seats take a quantity only; a plugin's licence takes dates, quantity and on/off.
   */
  async setLicence(companyId: number, product: string, raw: unknown) {
    const input = parseOr400(licenceInput, raw);
    if (product === 'seats') {
      for (const k of ['startsOn', 'expiresOn', 'enabled'] as const)
        if (input[k] !== undefined) throw fieldError(k, 'not_applicable', 'Seats take a quantity only');
      if (input.quantity === undefined) throw fieldError('quantity', 'required', 'Give the number of seats (null for unlimited)');
      await this.db.transaction(async (trx) => {
        const before = await trx('companies').where({ id: companyId }).forUpdate().first('seats');
        // Lowering below the agents in use disables nobody (BILLING-SEATS-4); AgentService refuses further enabling.
        await trx('companies').where({ id: companyId }).update({ seats: input.quantity });
        await trx('licence_history').insert({
          company_id: companyId,
          product: 'seats',
          actor: 'operator',
          old_value: JSON.stringify({ quantity: before?.seats ?? null }),
          new_value: JSON.stringify({ quantity: input.quantity }),
        });
      });
      return;
    }
    if (!this.host.list().some((p) => p.id === product && p.status !== 'uninstalled')) throw fieldError('product', 'unknown_product', `No product ${product}`);
    const { enabled = true, ...licence } = input;
    if (enabled) await this.host.enable(companyId, product, licence, 'operator');
    else await this.host.disable(companyId, product, 'operator');
  }
}
