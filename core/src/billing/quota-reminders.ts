import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import type { Logger } from '../infra/logger.ts';
import { TOKENS } from '../tokens.ts';
import { AdminReminder } from './admin-reminder.ts';
import { quotaLevel } from './quota-service.ts';

const text = (lang: string, name: string, unit: string, left: number, base: number) =>
  lang.startsWith('zh')
    ? {
        title: left === 0 ? `额度已用完:${name}` : `额度不足 10%:${name}`,
        body: `${name} 剩余 ${left} ${unit}(上次充值后为 ${base} ${unit})。${left === 0 ? '用完后该功能无法再使用,' : ''}请联系服务器运营方充值。`,
      }
    : {
        title: left === 0 ? `Quota used up: ${name}` : `Quota under 10%: ${name}`,
        body: `${name} has ${left} ${unit} left (${base} after the last top-up). ${left === 0 ? 'Nothing more can be spent until it is topped up; c' : 'C'}ontact the server operator to top up.`,
      };

/**
 * The `core:quota-reminders` job (BILLING-WARN-6): once a quota product's units
 * fall under 10 % of what the last top-up left, and again at zero, the admins
 * get a console notice and an e-mail (AdminReminder); once per top-up and
 * threshold, only the nearest threshold when both were crossed between runs.
 */
@injectable()
export class QuotaReminders {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Logger) private readonly log: Logger,
    @inject(AdminReminder) private readonly reminder: AdminReminder,
  ) {}

  /** Sends what is due; returns how many reminders went out. */
  async run(): Promise<number> {
    // `base`: the balance right after the last top-up, i.e. now minus every change since (ledger ids are in order).
    const { rows } = await this.db.raw<{ rows: { company_id: string; product: string; left: string; base: string; topup_id: string; lang: string }[] }>(
      `select * from (
         select q.company_id, q.product, q.units_left as left, t.id as topup_id, c.console_language as lang,
                q.units_left - coalesce((select sum(l.units) from quota_ledger l
                                         where l.company_id = q.company_id and l.product = q.product and l.id > t.id), 0) as base
         from company_quotas q
         join companies c on c.id = q.company_id
         join company_plugins p on p.company_id = q.company_id and p.plugin_id = q.product and p.enabled
         join lateral (select max(id) as id from quota_ledger l
                       where l.company_id = q.company_id and l.product = q.product and l.kind = 'topup') t on t.id is not null
       ) s
       where s.left * 10 < s.base`,
    );
    let sent = 0;
    for (const r of rows) {
      const left = Number(r.left);
      const base = Number(r.base);
      const threshold = quotaLevel(left, base) === 'empty' ? 0 : 10;
      const claimed = await this.db('quota_reminders')
        .insert({ company_id: r.company_id, product: r.product, topup_id: r.topup_id, threshold })
        .onConflict(['company_id', 'product', 'topup_id', 'threshold'])
        .ignore()
        .returning('product');
      if (!claimed.length) continue;
      const { name, unit } = this.reminder.product(r.product, r.lang);
      const companyId = Number(r.company_id);
      if (await this.reminder.send(companyId, { ...text(r.lang, name, unit, left, base), important: left === 0 }))
        this.log.info({ companyId, product: r.product, left, base }, 'quota reminder sent');
      sent++;
    }
    return sent;
  }
}
