import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import type { Logger } from '../infra/logger.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { BlockService } from '../blocking/block-service.ts';
import { RegionService } from '../region/region-service.ts';
import { conditionsHold } from '../policies/visitor-conditions.ts';
import { loadVisitorFacts } from '../policies/visitor-facts.ts';
import { approachableIp, claimDueVisits, purgeVisitDeadlines } from '../policies/visit-deadlines.ts';
import { WidgetSettingsService } from '../settings/widget-settings-service.ts';
import type { InviteSettings } from '../settings/widget-settings-schema.ts';
import { VISITOR_LEFT_MS } from '../visitors/live-visitors.ts';
import { InvitationService } from './invitation-service.ts';
import { RoutingService } from './routing-service.ts';

/** An open conversation or nobody 在线 is re-checked this often… */
const RECHECK_MS = 5_000;
/** …rules that do not hold, this often (a new page re-checks at once; time windows are in minutes)… */
const RULES_RECHECK_MS = 60_000;
/** …for at most a visit's first half hour. */
const GIVE_UP_MS = 30 * 60_000;

/**
 * Automatic invitations (INVITE-AUTO-3, INVITE-STRATEGY-4, INVITE-POPUP-2),
 * decided on the server: while a visitor browses, the first strategy whose
 * conditions all hold fires, when at least one agent is 在线, at most
 * `maxPerVisit` times per visit with `intervalSeconds` after the end of the
 * previous one. The invitation reaches the loader as the same `invitation`
 * event agents' invitations use, so accepting it is INVITE-ACCEPT-8's path.
 * Deadlines live in `invite_visits`, so any node's timer fires them.
 */
@injectable()
export class AutoInvite {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Logger) private readonly log: Logger,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(WidgetSettingsService) private readonly settings: WidgetSettingsService,
    @inject(InvitationService) private readonly invitations: InvitationService,
    @inject(BlockService) private readonly blocks: BlockService,
    @inject(RegionService) private readonly region: RegionService,
    @inject(RoutingService) private readonly routing: RoutingService,
  ) {}

  /** A new visit: check the strategies now when the company invites automatically. */
  async onArrived(companyId: number, visitorId: number, visitId: number): Promise<void> {
    const s = (await this.settings.read(companyId)).invite;
    if (!s.enabled || !s.auto) return;
    const now = this.clock.now();
    await new Tenant(this.db, companyId)
      .insert('invite_visits', { visit_id: visitId, visitor_id: visitorId, started_at: now, due_at: now })
      .onConflict('visit_id')
      .ignore();
  }

  /** Another page may satisfy a page or page-count condition: check again now (the interval is still kept by `decide`). */
  async onPageView(companyId: number, visitId: number): Promise<void> {
    const now = this.clock.now();
    await new Tenant(this.db, companyId).q('invite_visits').where({ visit_id: visitId }).where('due_at', '>', now).update({ due_at: now });
  }

  /** Run every 2 seconds: claims due visits so each is decided once. */
  async fireDue(): Promise<void> {
    for (const r of await claimDueVisits(this.db, 'invite_visits', this.clock.now()))
      await this.decide(r).catch((err) => this.log.error({ err, visitId: Number(r.visit_id) }, 'automatic invitation failed'));
  }

  /** Leaving `due_at` null ends the visit's automatic invitations; `later` checks again. */
  private async decide(r: any): Promise<void> {
    const companyId = Number(r.company_id);
    const visitorId = Number(r.visitor_id);
    const t = new Tenant(this.db, companyId);
    const s = (await this.settings.read(companyId)).invite;
    const now = this.clock.now();
    const started = new Date(r.started_at);
    const later = (at: number) => this.reschedule(t, r.visit_id, Math.max(at, now.getTime() + 1000));
    if (!s.enabled || !s.auto || r.shown >= s.maxPerVisit || now.getTime() - started.getTime() > GIVE_UP_MS) return;
    const visitor = await t.q('visitors').where({ id: visitorId }).first('last_seen_at');
    if (!visitor || now.getTime() - new Date(visitor.last_seen_at).getTime() > VISITOR_LEFT_MS) return;
    if (await this.endsVisit(t, visitorId, r.visit_id, started)) return;
    // Held conversations are still open (status active); once it ends the visitor may be invited again.
    if (await t.q('conversations').where({ visitor_id: visitorId }).whereNot('status', 'ended').first('id')) return later(now.getTime() + RECHECK_MS);
    const wait = await this.waitUntil(t, visitorId, started, s);
    if (wait > now.getTime()) return later(wait);
    const ip = await approachableIp(t, this.blocks, this.region, visitorId, r.visit_id);
    if (ip === null) return;
    const facts = await loadVisitorFacts(t, visitorId, { ip, iconId: null, at: now });
    const index = s.strategies.findIndex((rule) => conditionsHold(rule.conditions, facts));
    if (index < 0) return later(Math.min(this.nextDwell(s, started, facts.secondsOnSite) ?? Infinity, now.getTime() + RULES_RECHECK_MS));
    const candidates = await this.routing.candidates(companyId, null, await this.routing.settings(companyId));
    if (!candidates.some((c) => c.canAccept && c.status === 'online')) return later(now.getTime() + RECHECK_MS);
    const shown = await this.invitations.autoInvite(t, visitorId, s, index + 1);
    if (!shown) return later(now.getTime() + RECHECK_MS);
    await t
      .q('invite_visits')
      .where({ visit_id: r.visit_id })
      .update({ shown: r.shown + 1 });
    if (r.shown + 1 < s.maxPerVisit) await later(now.getTime() + s.intervalSeconds * 1000);
  }

  /** INVITE-AUTO-3: an invitation accepted, or an automatic proactive chat shown (POLICY-PROACTIVE-2), ends this visit's automatic invitations. */
  private async endsVisit(t: Tenant, visitorId: number, visitId: unknown, started: Date): Promise<boolean> {
    const accepted = await t.q('invitations').where({ visitor_id: visitorId, status: 'accepted' }).where('created_at', '>=', started).first('id');
    return !!accepted || !!(await t.q('proactive_visits').where({ visit_id: visitId }).where('shown', '>', 0).first('visit_id'));
  }

  /** While an invitation is open, and for `intervalSeconds` after the end of the last automatic one (INVITE-POPUP-2). */
  private async waitUntil(t: Tenant, visitorId: number, started: Date, s: InviteSettings): Promise<number> {
    const pending = await t.q('invitations').where({ visitor_id: visitorId, kind: 'invite', status: 'pending' }).first('expires_at');
    if (pending) return pending.expires_at ? new Date(pending.expires_at).getTime() : Infinity;
    const last = await t
      .q('invitations')
      .where({ visitor_id: visitorId, kind: 'invite' })
      .whereNotNull('strategy')
      .where('created_at', '>=', started)
      .orderBy('id', 'desc')
      .first('responded_at');
    return last?.responded_at ? new Date(last.responded_at).getTime() + s.intervalSeconds * 1000 : 0;
  }

  /** The next moment a rule's time on site is reached, if any is still ahead. */
  private nextDwell(s: InviteSettings, started: Date, secondsOnSite: number): number | null {
    const ahead = s.strategies.map((rule) => rule.conditions.minSeconds ?? 0).filter((m) => m > secondsOnSite);
    return ahead.length ? started.getTime() + Math.min(...ahead) * 1000 : null;
  }

  private async reschedule(t: Tenant, visitId: unknown, at: number) {
    await t
      .q('invite_visits')
      .where({ visit_id: visitId })
      .update({ due_at: new Date(Math.min(at, this.clock.now().getTime() + GIVE_UP_MS)) });
  }

  async purge(): Promise<void> {
    await purgeVisitDeadlines(this.db, 'invite_visits', this.clock.now());
  }
}
