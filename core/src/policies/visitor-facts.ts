import type { Tenant } from '../tenancy/tenant.ts';
import { lookupRegion } from '../visitors/visit-info.ts';
import type { VisitorFacts } from './visitor-conditions.ts';

// Apart from visitor-conditions.ts, which the console imports (no Node modules there).
/** The facts of a visitor's latest visit, read from the database at `at`. */
export async function loadVisitorFacts(t: Tenant, visitorId: number, opts: { ip?: string | null; iconId: number | null; at: Date }): Promise<VisitorFacts> {
  const visitor = await t.q('visitors').where({ id: visitorId }).first('language', 'visit_count', 'channel', 'last_ip');
  const visit = await t.q('visits').where({ visitor_id: visitorId }).orderBy('id', 'desc').first('id', 'referrer', 'search_keyword', 'ip');
  const page = visit ? await t.q('page_views').where({ visit_id: visit.id }).orderBy('id', 'desc').first('url') : null;
  const company = await t.unscoped('companies').where({ id: t.companyId }).first('timezone');
  return {
    url: page?.url ?? null,
    referrer: visit?.referrer ?? null,
    keyword: visit?.search_keyword ?? null,
    region: lookupRegion(opts.ip ?? visit?.ip ?? visitor?.last_ip ?? ''),
    language: visitor?.language ?? null,
    channel: visitor?.channel ?? 'web',
    returning: Number(visitor?.visit_count ?? 0) > 1,
    iconId: opts.iconId,
    at: opts.at,
    timeZone: company?.timezone ?? 'Asia/Shanghai',
  };
}
