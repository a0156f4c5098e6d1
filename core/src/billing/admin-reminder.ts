import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { MailOutbox } from '../leavemsg/mail-outbox.ts';
import { PluginHost } from '../plugins/plugin-host.ts';

const NOTICE_DAYS = 7;

/**
 * How billing reminders reach the admins (BILLING-WARN-6): a console notice
 * (from the primary admin's account, the notices table needing a publisher)
 * and an e-mail to each admin with an address, through the company's mail outbox.
 */
@injectable()
export class AdminReminder {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(PluginHost) private readonly host: PluginHost,
    @inject(MailOutbox) private readonly outbox: MailOutbox,
  ) {}

  /** A product's name (and unit) in the company's console language; the plugin ID when it is not loaded. */
  product(id: string, lang: string) {
    const plugin = this.host.list().find((p) => p.id === id);
    const pick = (v: { 'zh-CN': string; en: string }) => (lang.startsWith('zh') ? v['zh-CN'] : v.en);
    return { name: plugin ? pick(plugin.name) : id, unit: plugin?.quantityUnit ? pick(plugin.quantityUnit) : '' };
  }

  /** Sends one reminder; false when the company has no active admin to address. */
  async send(companyId: number, m: { title: string; body: string; important: boolean }): Promise<boolean> {
    const t = new Tenant(this.db, companyId);
    const admins: { id: number; email: string | null; is_primary: boolean }[] = await t
      .q('agents')
      .where({ role: 'admin' })
      .whereNull('disabled_at')
      .whereNull('deleted_at')
      .select('id', 'email', 'is_primary');
    const publisher = admins.find((a) => a.is_primary) ?? admins[0];
    if (!publisher) return false;
    const now = this.clock.now();
    // Delivered by `core:notices` within 5 s, like any notice that starts now.
    await t.insert('notices', {
      publisher_id: publisher.id,
      title: m.title,
      content: m.body,
      important: m.important,
      agent_ids: admins.map((a) => a.id),
      starts_at: now,
      ends_at: new Date(now.getTime() + NOTICE_DAYS * 86_400_000),
      created_at: now,
    });
    for (const a of admins.filter((x) => x.email)) await this.outbox.enqueue(t, { leaveMessageId: null, to: a.email!, subject: m.title, body: m.body });
    return true;
  }
}
