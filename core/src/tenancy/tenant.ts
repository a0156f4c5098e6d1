import type { Knex } from 'knex';

/**
 * The one way to touch tenant tables: every query built here is already
 * filtered by company_id, and every insert gets it set. Services receive a
 * Tenant, not the raw knex, so forgetting the scope means going out of one's
 * way (`tenant.unscoped`), which review can spot.
 */
export class Tenant {
  constructor(
    private readonly knex: Knex | Knex.Transaction,
    readonly companyId: number,
  ) {}

  /** `tenant.q('agents')` or `tenant.q('agents as a')`: select/update/delete scoped to the company. */
  q<T extends object = any>(table: string): Knex.QueryBuilder<T, any> {
    const alias = table.split(/\s+as\s+/i)[1]?.trim() ?? table;
    return this.knex<T>(table).where(`${alias}.company_id`, this.companyId);
  }

  /** Insert rows with company_id forced to this company. */
  insert<T extends object>(table: string, rows: T | T[]): Knex.QueryBuilder {
    const list = (Array.isArray(rows) ? rows : [rows]).map((r) => ({ ...r, company_id: this.companyId }));
    return this.knex(table).insert(list);
  }

  /** Runs `fn` in a transaction with a Tenant bound to it. */
  transaction<R>(fn: (t: Tenant, trx: Knex.Transaction) => Promise<R>): Promise<R> {
    if ((this.knex as Knex.Transaction).isTransaction) return fn(this, this.knex as Knex.Transaction);
    return (this.knex as Knex).transaction((trx) => fn(new Tenant(trx, this.companyId), trx));
  }

  /** Raw access for the rare cross-table statement; the caller owns the scoping. */
  get unscoped(): Knex | Knex.Transaction {
    return this.knex;
  }
}
