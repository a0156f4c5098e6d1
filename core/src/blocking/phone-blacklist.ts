import type { Knex } from 'knex';
import type { z } from 'zod';
import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import type { PermissionDef } from '../accounts/permissions.ts';
import { AppError, conflict, fieldError, notFound } from '../http/errors.ts';
import { PermissionCatalog } from '../accounts/permission-catalog.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { normalizePhone } from './phone-number.ts';
import {
  MAX_PHONE_BLOCKS,
  type bulkResult,
  type phoneBlockBody,
  type phoneBlockBulkBody,
  type phoneBlockQuery,
  type phoneBlockView,
} from './phone-block-schemas.ts';

/** Granted to agents in the editor; listed only while a plugin using the blacklist is enabled (DISPLAY-PHONEBLOCK-16). */
export const PHONE_BLOCK_PERMISSION: Omit<PermissionDef, 'plugin'> = {
  name: 'phone.block',
  section: 'conversations',
  label: { 'zh-CN': '电话回拨阻止', en: 'Phone blacklist' },
};

const toView = (r: any): z.output<typeof phoneBlockView> => ({
  id: Number(r.id),
  number: r.number,
  note: r.note ?? null,
  createdBy: r.created_by ? { id: Number(r.created_by), nickname: r.created_by_name ?? '' } : null,
  createdAt: new Date(r.created_at).toISOString(),
  endsAt: r.ends_at ? new Date(r.ends_at).toISOString() : null,
  hits: Number(r.hits),
  lastHitAt: r.last_hit_at ? new Date(r.last_hit_at).toISOString() : null,
});

/**
 * The company's phone blacklist (电话回拨阻止, DISPLAY-PHONEBLOCK-16): numbers kept in E.164 form, at most 5,000,
 * each with a note, who added it and when, an optional end and its hits. It exists for a company only while one
 * of its enabled plugins declares `usesPhoneBlacklist` (call-back); plugins check numbers through the plugin API,
 * which counts a hit. It applies to visitors' requests only, which is up to the plugin asking.
 */
@injectable()
export class PhoneBlacklist {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(PermissionCatalog) private readonly catalog: PermissionCatalog,
  ) {}

  /** The plugin host gives `phone.block` to each plugin declaring `usesPhoneBlacklist`: listed means an enabled one uses it. */
  async available(companyId: number): Promise<boolean> {
    return (await this.catalog.forCompany(companyId)).some((d) => d.name === PHONE_BLOCK_PERMISSION.name);
  }

  /** `404 phone_blacklist_unavailable` while no enabled plugin of the company uses the blacklist. */
  async assertAvailable(companyId: number) {
    if (!(await this.available(companyId))) throw new AppError(404, 'phone_blacklist_unavailable', 'No enabled plugin uses the phone blacklist');
  }

  private live(t: Tenant) {
    return t.q('phone_blocks as p').where((w) => w.whereNull('p.ends_at').orWhere('p.ends_at', '>', this.clock.now()));
  }

  /** Newest first; `q` matches the number's digits or the note. */
  async list(t: Tenant, query: z.output<typeof phoneBlockQuery>) {
    const q = this.live(t);
    if (query.q) {
      const digits = query.q.replace(/\D/g, '');
      q.where((w) => {
        w.whereILike('p.note', `%${query.q!.replace(/[\\%_]/g, (ch) => '\\' + ch)}%`);
        if (digits) w.orWhere('p.number', 'like', `%${digits}%`);
      });
    }
    const [{ n }] = await q.clone().count<{ n: string }[]>('* as n');
    const rows = await q
      .leftJoin('agents as a', 'a.id', 'p.created_by')
      .orderBy('p.id', 'desc')
      .offset((query.page - 1) * query.pageSize)
      .limit(query.pageSize)
      .select('p.*', 'a.nickname as created_by_name');
    return { items: rows.map(toView), total: Number(n), limit: MAX_PHONE_BLOCKS };
  }

  async add(auth: AuthInfo, input: z.output<typeof phoneBlockBody>) {
    const number = normalizePhone(input.number);
    if (!number) throw fieldError('number', 'invalid_phone', 'Not a mobile, landline with area code or +international number');
    this.checkEnd(input.endsAt);
    return auth.tenant.transaction(async (t, trx) => {
      await this.lockList(t, trx);
      if ((await this.count(t)) >= MAX_PHONE_BLOCKS) throw conflict('phone_block_limit', `At most ${MAX_PHONE_BLOCKS} numbers`);
      const [row] = await t
        .insert('phone_blocks', { number, note: input.note || null, ends_at: input.endsAt ?? null, created_by: auth.agent.id, created_at: this.clock.now() })
        .onConflict(['company_id', 'number'])
        .ignore()
        .returning('id');
      if (!row) throw conflict('duplicate_entry', 'This number is listed already');
      return toView({ ...(await t.q('phone_blocks').where({ id: row.id }).first()), created_by_name: auth.agent.nickname });
    });
  }

  /** Paste many: each line is checked on its own; good lines are added, the others come back with their line number. */
  async addMany(auth: AuthInfo, input: z.output<typeof phoneBlockBulkBody>): Promise<z.output<typeof bulkResult>> {
    this.checkEnd(input.endsAt);
    return auth.tenant.transaction(async (t, trx) => {
      await this.lockList(t, trx);
      const listed = new Set((await t.q('phone_blocks').select('number')).map((r: { number: string }) => r.number));
      let room = MAX_PHONE_BLOCKS - listed.size;
      const errors: z.output<typeof bulkResult>['errors'] = [];
      const rows: Record<string, unknown>[] = [];
      input.text.split(/\r?\n/).forEach((raw, i) => {
        const line = raw.trim();
        if (!line) return;
        const [value, ...rest] = line.split(/[,\t，]/);
        const number = normalizePhone(value);
        const error = !number ? 'invalid_phone' : listed.has(number) ? 'duplicate_entry' : room <= 0 ? 'phone_block_limit' : null;
        if (error) return void errors.push({ line: i + 1, value: line.slice(0, 60), code: error });
        listed.add(number!);
        room--;
        const own = rest.join(',').trim().slice(0, 100);
        rows.push({ number, note: own || input.note || null, ends_at: input.endsAt ?? null, created_by: auth.agent.id, created_at: this.clock.now() });
      });
      for (let i = 0; i < rows.length; i += 500) await t.insert('phone_blocks', rows.slice(i, i + 500));
      return { added: rows.length, errors };
    });
  }

  async remove(t: Tenant, id: number) {
    if (!(await t.q('phone_blocks').where({ id }).delete().returning('id')).length) throw notFound('Number not found');
  }

  /** For plugins: is this number listed (and not past its end)? A listed one counts a hit. False for what is not a phone number. */
  async check(companyId: number, raw: string): Promise<boolean> {
    const number = normalizePhone(raw);
    if (!number) return false;
    const hit = await this.live(new Tenant(this.db, companyId))
      .where('p.number', number)
      .update({ hits: this.db.raw('hits + 1'), last_hit_at: this.clock.now() })
      .returning('p.id');
    return hit.length > 0;
  }

  private checkEnd(end: Date | null | undefined) {
    if (end && end <= this.clock.now()) throw fieldError('endsAt', 'end_in_past', 'The end is in the past');
  }

  /**
   * Additions of one company wait for each other (on any node), so together they never pass 5,000; ended
   * entries then make room and no longer stand in the way of a re-added number.
   */
  private async lockList(t: Tenant, trx: Knex.Transaction) {
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`kefu:phone_blocks:${t.companyId}`]);
    await t.q('phone_blocks').where('ends_at', '<=', this.clock.now()).delete();
  }

  private async count(t: Tenant) {
    const [{ n }] = await t.q('phone_blocks').count<{ n: string }[]>('* as n');
    return Number(n);
  }
}
