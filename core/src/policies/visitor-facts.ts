import type { Tenant } from '../tenancy/tenant.ts';
import { lookupRegion } from '../visitors/visit-info.ts';
import type { SourceType, VisitorFacts } from './visitor-conditions.ts';

/** A landing URL tagged by a campaign (INVITE-STRATEGY-4 来源). */
const CAMPAIGN_PARAM = /[?&](utm_[a-z]+|gclid|fbclid)=/i;

const hostOf = (url: string | null | undefined) => {
  try {
    return url ? new URL(url).hostname.toLowerCase().replace(/^www\./, '') : null;
  } catch {
    return null;
  }
};

/** Campaign, then search engine, then another site's link; a link from the site itself counts as direct. */
function sourceOf(visit: { landing_url?: string | null; search_engine?: string | null; referrer?: string | null } | undefined): SourceType {
  if (CAMPAIGN_PARAM.test(visit?.landing_url ?? '')) return 'campaign';
  if (visit?.search_engine) return 'search';
  const from = hostOf(visit?.referrer);
  return from && from !== hostOf(visit?.landing_url) ? 'referral' : 'direct';
}

// Apart from visitor-conditions.ts, which the console imports (no Node modules there).
/** The facts of a visitor's latest visit, read from the database at `at`. */
export async function loadVisitorFacts(t: Tenant, visitorId: number, opts: { ip?: string | null; iconId: number | null; at: Date }): Promise<VisitorFacts> {
  const visitor = await t.q('visitors').where({ id: visitorId }).first('language', 'visit_count', 'channel', 'last_ip');
  const visit = await t
    .q('visits')
    .where({ visitor_id: visitorId })
    .orderBy('id', 'desc')
    .first('id', 'referrer', 'search_keyword', 'search_engine', 'landing_url', 'ip', 'started_at');
  const page = visit ? await t.q('page_views').where({ visit_id: visit.id }).orderBy('id', 'desc').first('url') : null;
  const views = visit ? await t.q('page_views').where({ visit_id: visit.id }).count<{ n: string }[]>('* as n') : [{ n: '0' }];
  const company = await t.unscoped('companies').where({ id: t.companyId }).first('timezone');
  return {
    url: page?.url ?? null,
    referrer: visit?.referrer ?? null,
    source: sourceOf(visit),
    secondsOnSite: visit ? Math.max(0, Math.floor((opts.at.getTime() - new Date(visit.started_at).getTime()) / 1000)) : 0,
    pageViews: Number(views[0].n),
    visitNumber: Number(visitor?.visit_count ?? 0),
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
