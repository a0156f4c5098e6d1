import type { Db } from '../infra/db.ts';
import type { Tenant } from '../tenancy/tenant.ts';
import type { BlockService } from '../blocking/block-service.ts';
import type { RegionService } from '../region/region-service.ts';

/**
 * Per-visit deadline tables of the automatic approaches to a visitor
 * (automatic invitations, automatic proactive chat): a row per visit whose
 * `due_at` any node's timer may claim, so each decision is taken once.
 */
export type VisitDeadlineTable = 'invite_visits' | 'proactive_visits';

/** Claims up to 100 due visits (their `due_at` cleared, so a decision that does not reschedule ends them). */
export async function claimDueVisits(db: Db, table: VisitDeadlineTable, now: Date): Promise<any[]> {
  const { rows } = await db.raw(
    `update ${table} v set due_at = null
       from (select visit_id from ${table} where due_at <= ? order by due_at limit 100 for update skip locked) d
      where v.visit_id = d.visit_id
      returning v.*`,
    [now],
  );
  return rows;
}

/** Visits of the last day are enough to decide; older rows are dropped. */
export async function purgeVisitDeadlines(db: Db, table: VisitDeadlineTable, now: Date): Promise<void> {
  await db(table)
    .where('started_at', '<', new Date(now.getTime() - 86_400_000))
    .del();
}

/** The visit's IP when the visitor may be approached at all: not blocked and inside the service region; else null. */
export async function approachableIp(t: Tenant, blocks: BlockService, region: RegionService, visitorId: number, visitId: unknown): Promise<string | null> {
  const ip = (await t.q('visits').where({ id: visitId }).first('ip'))?.ip ?? '';
  if (await blocks.check(t.companyId, visitorId, ip)) return null;
  return (await region.verdict(t.companyId, ip)).served ? ip : null;
}
