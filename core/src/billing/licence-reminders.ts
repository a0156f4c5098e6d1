import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import type { Logger } from '../infra/logger.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { remainingDays } from './billing-service.ts';
import { AdminReminder } from './admin-reminder.ts';

/** Days before the expiry day at which admins are reminded; 0 is the expiry day itself (BILLING-WARN-6). */
const THRESHOLDS = [30, 7, 1, 0];

const text = (lang: string, name: string, expiresOn: string, left: number) =>
  lang.startsWith('zh')
    ? {
        title: left === 0 ? `授权今天到期:${name}` : `授权即将到期:${name}`,
        body: `${name} 的授权有效期至 ${expiresOn}${left === 0 ? '(今天)' : `,剩余 ${left} 天`}。到期后该功能将停用,请联系服务器运营方续费。`,
      }
    : {
        title: left === 0 ? `Licence expires today: ${name}` : `Licence expiring: ${name}`,
        body: `The licence of ${name} is valid through ${expiresOn}${left === 0 ? ' (today)' : `, ${left} days left`}. After that the feature is switched off; contact the server operator to renew.`,
      };

/**
 * The `core:licence-reminders` job: for every enabled, dated plugin licence,
 * the admins get a console notice and an e-mail (AdminReminder), once per
 * licence, expiry date and threshold.
 */
@injectable()
export class LicenceReminders {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Logger) private readonly log: Logger,
    @inject(AdminReminder) private readonly reminder: AdminReminder,
  ) {}

  /** Sends what is due; returns how many reminders went out. */
  async run(): Promise<number> {
    const rows = await this.db('company_plugins as p')
      .join('companies as c', 'c.id', 'p.company_id')
      .where('p.enabled', true)
      .whereNotNull('p.expires_on')
      .select('p.company_id', 'p.plugin_id', 'p.expires_on', 'c.timezone', 'c.console_language');
    let sent = 0;
    for (const r of rows) {
      const expiresOn = r.expires_on instanceof Date ? r.expires_on.toISOString().slice(0, 10) : String(r.expires_on).slice(0, 10);
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: r.timezone }).format(this.clock.now());
      const left = remainingDays(today, expiresOn);
      // Only the nearest threshold reached: a licence set to expire in 5 days gets the 7-day reminder, not also the 30-day one.
      const threshold = THRESHOLDS.filter((d) => left >= 0 && left <= d).at(-1);
      if (threshold === undefined) continue;
      const claimed = await this.db('licence_reminders')
        .insert({ company_id: r.company_id, product: r.plugin_id, expires_on: expiresOn, threshold })
        .onConflict(['company_id', 'product', 'expires_on', 'threshold'])
        .ignore()
        .returning('product');
      if (!claimed.length) continue;
      await this.remind(Number(r.company_id), r.plugin_id, r.console_language, expiresOn, left);
      sent++;
    }
    return sent;
  }

  private async remind(companyId: number, product: string, lang: string, expiresOn: string, left: number) {
    const { title, body } = text(lang, this.reminder.product(product, lang).name, expiresOn, left);
    if (await this.reminder.send(companyId, { title, body, important: left <= 1 }))
      this.log.info({ companyId, product, expiresOn, left }, 'licence reminder sent');
  }
}
