import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { conflict, fieldError } from '../http/errors.ts';

export type QuotaKind = 'topup' | 'debit' | 'refund';

/**
 * BILLING-WARN-6: `low` under 10 % of what the last top-up left (`base`), `empty` at zero; the reminders and
 * the billing page say the same.
 */
export type QuotaLevel = 'ok' | 'low' | 'empty';
export const quotaLevel = (left: number, base: number): QuotaLevel => (left <= 0 ? 'empty' : left * 10 < base ? 'low' : 'ok');

/** What the billing page shows of a quota product (BILLING-REMAIN-3, BILLING-QUOTA-5, BILLING-WARN-6). */
export interface QuotaSummary {
  left: number;
  level: QuotaLevel;
  usedThisMonth: number;
  topups: { at: string; units: number; actor: string }[];
}

/**
 * Quota products (BILLING-QUOTA-5): units a plugin spends (SMS segments, call
 * minutes). A debit is one conditional UPDATE, so concurrent sends on any node
 * never take the balance below zero (a CHECK constraint says so too); each
 * change is in the ledger within the same transaction.
 */
@injectable()
export class QuotaService {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {}

  /** Spends `units`; `409 quota_exhausted` (nothing spent) when fewer are left. Answers what is left. */
  async debit(companyId: number, product: string, units: number, actor: string, ref?: string): Promise<number> {
    if (!Number.isInteger(units) || units <= 0) throw fieldError('units', 'invalid_units', 'A positive whole number of units');
    return this.db.transaction(async (trx) => {
      const [row] = await trx('company_quotas')
        .where({ company_id: companyId, product })
        .where('units_left', '>=', units)
        .decrement('units_left', units)
        .returning('units_left');
      if (!row) throw conflict('quota_exhausted', `Not enough ${product} units left`);
      await trx('quota_ledger').insert({ company_id: companyId, product, units: -units, kind: 'debit', actor, ref: ref ?? null, created_at: this.clock.now() });
      return Number(row.units_left);
    });
  }

  /** Adds units: an operator's top-up, or a plugin giving back what a failed send had taken. Answers what is left. */
  async credit(companyId: number, product: string, units: number, kind: Exclude<QuotaKind, 'debit'>, actor: string, ref?: string): Promise<number> {
    if (!Number.isInteger(units) || units <= 0) throw fieldError('units', 'invalid_units', 'A positive whole number of units');
    return this.db.transaction(async (trx) => {
      const [row] = await trx('company_quotas')
        .insert({ company_id: companyId, product, units_left: units })
        .onConflict(['company_id', 'product'])
        .merge({ units_left: trx.raw('company_quotas.units_left + ?', [units]) })
        .returning('units_left');
      await trx('quota_ledger').insert({ company_id: companyId, product, units, kind, actor, ref: ref ?? null, created_at: this.clock.now() });
      return Number(row.units_left);
    });
  }

  async left(companyId: number, product: string): Promise<number> {
    const row = await this.db('company_quotas').where({ company_id: companyId, product }).first('units_left');
    return Number(row?.units_left ?? 0);
  }

  /** Units left, spent since the 1st of this month in the company's time zone (refunds deducted), and the last 50 top-ups. */
  async summary(companyId: number, product: string, timeZone: string): Promise<QuotaSummary> {
    const [spent] = await this.db('quota_ledger')
      .where({ company_id: companyId, product })
      .whereIn('kind', ['debit', 'refund'])
      .whereRaw(`created_at >= timezone(?, date_trunc('month', timezone(?, ?::timestamptz)))`, [timeZone, timeZone, this.clock.now()])
      .sum<{ sum: string | null }[]>('units as sum');
    const topups = await this.db('quota_ledger').where({ company_id: companyId, product, kind: 'topup' }).orderBy('id', 'desc').limit(50);
    const left = await this.left(companyId, product);
    // What the last top-up left: now, less every change since.
    const [since] = topups.length
      ? await this.db('quota_ledger').where({ company_id: companyId, product }).where('id', '>', topups[0].id).sum<{ sum: string | null }[]>('units as sum')
      : [{ sum: null }];
    return {
      left,
      level: quotaLevel(left, left - Number(since?.sum ?? 0)),
      usedThisMonth: Math.max(0, -Number(spent?.sum ?? 0)),
      topups: topups.map((r) => ({ at: new Date(r.created_at).toISOString(), units: Number(r.units), actor: r.actor })),
    };
  }
}
