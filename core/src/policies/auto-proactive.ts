import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import type { Logger } from '../infra/logger.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import { BlockService } from '../blocking/block-service.ts';
import { RegionService } from '../region/region-service.ts';
import { RoutingService } from '../conversations/routing-service.ts';
import { PROACTIVE_GREETING } from './policy-defaults.ts';
import { textFor } from './policy-settings-schema.ts';
import { PolicySettingsService } from './policy-settings-service.ts';
import { conditionsHold } from './visitor-conditions.ts';
import { loadVisitorFacts } from './visitor-facts.ts';
import { approachableIp, claimDueVisits, purgeVisitDeadlines } from './visit-deadlines.ts';

/** While nobody can take the chat, the greeting is re-checked this often, for at most a visit's first half hour. */
const RETRY_MS = 10_000;
const GIVE_UP_MS = 30 * 60_000;
/** A repeated greeting (maxPerVisit > 1) comes no sooner than this after the previous one. */
const MIN_REPEAT_MS = 30_000;

/**
 * Automatic proactive chat (POLICY-PROACTIVE-2): `delaySeconds` after a visit
 * starts, a visitor who matches the conditions gets the greeting in an opened
 * chat window, while an agent is 在线 with free capacity. Never for a visitor
 * with an open (or held) conversation, outside the service region, blocked,
 * or who closed the window in this visit. Deadlines live in the database, so
 * any node's timer job fires them.
 */
@injectable()
export class AutoProactive {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Logger) private readonly log: Logger,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(PolicySettingsService) private readonly settings: PolicySettingsService,
    @inject(RealtimeNotifier) private readonly notifier: RealtimeNotifier,
    @inject(BlockService) private readonly blocks: BlockService,
    @inject(RegionService) private readonly region: RegionService,
    @inject(RoutingService) private readonly routing: RoutingService,
  ) {}

  /** A new visit: schedule its greeting when the company has the policy on. */
  async onArrived(companyId: number, visitorId: number, visitId: number): Promise<void> {
    const s = (await this.settings.read(companyId)).proactive;
    if (!s.enabled) return;
    const now = this.clock.now();
    await new Tenant(this.db, companyId)
      .insert('proactive_visits', { visit_id: visitId, visitor_id: visitorId, started_at: now, due_at: new Date(now.getTime() + s.delaySeconds * 1000) })
      .onConflict('visit_id')
      .ignore();
  }

  /** 关闭: no more greetings in the visitor's current visit. */
  async close(companyId: number, visitorId: number): Promise<void> {
    const t = new Tenant(this.db, companyId);
    const visit = await t.q('proactive_visits').where({ visitor_id: visitorId }).orderBy('visit_id', 'desc').first('visit_id');
    if (visit) await t.q('proactive_visits').where({ visit_id: visit.visit_id }).update({ closed_at: this.clock.now(), due_at: null });
  }

  /** Run every second by the policy timer job: claims due visits so each greeting is decided once. */
  async fireDue(): Promise<void> {
    for (const r of await claimDueVisits(this.db, 'proactive_visits', this.clock.now()))
      await this.decide(r).catch((err) => this.log.error({ err, visitId: Number(r.visit_id) }, 'automatic proactive chat failed'));
  }

  private async decide(r: any): Promise<void> {
    const companyId = Number(r.company_id);
    const visitorId = Number(r.visitor_id);
    const t = new Tenant(this.db, companyId);
    const s = (await this.settings.read(companyId)).proactive;
    if (!s.enabled || r.closed_at || r.shown >= s.maxPerVisit) return;
    // Held conversations are still open (status active), so this also covers the hold.
    if (await t.q('conversations').where({ visitor_id: visitorId }).whereNot('status', 'ended').first('id')) return;
    const ip = await approachableIp(t, this.blocks, this.region, visitorId, r.visit_id);
    if (ip === null) return;
    const now = this.clock.now();
    const facts = await loadVisitorFacts(t, visitorId, { ip, iconId: null, at: now });
    if (!conditionsHold(s.conditions, facts)) return;
    const eligible = await this.routing.eligible(companyId, null, await this.routing.settings(companyId));
    if (!eligible.length) {
      if (now.getTime() - new Date(r.started_at).getTime() < GIVE_UP_MS) await this.reschedule(t, r.visit_id, now.getTime() + RETRY_MS);
      return;
    }
    const language = (await t.unscoped('companies').where({ id: companyId }).first('visitor_language'))?.visitor_language ?? 'zh-CN';
    const shown = r.shown + 1;
    await t.q('proactive_visits').where({ visit_id: r.visit_id }).update({ shown });
    this.notifier.toVisitors(rooms.visitor(visitorId), 'proactive.greeting', {
      text: textFor(s.greeting, PROACTIVE_GREETING, facts.language, language),
      shown,
      maxPerVisit: s.maxPerVisit,
    });
    if (shown < s.maxPerVisit) await this.reschedule(t, r.visit_id, now.getTime() + Math.max(s.delaySeconds * 1000, MIN_REPEAT_MS));
  }

  private async reschedule(t: Tenant, visitId: unknown, at: number) {
    await t
      .q('proactive_visits')
      .where({ visit_id: visitId })
      .whereNull('closed_at')
      .update({ due_at: new Date(at) });
  }

  async purge(): Promise<void> {
    await purgeVisitDeadlines(this.db, 'proactive_visits', this.clock.now());
  }
}
