import { z } from 'zod';
import type { Tenant } from '../tenancy/tenant.ts';

/** A visit's trail lists at most this many page views and counts the rest (WORKBENCH-TRAIL-7). */
export const TRAIL_PAGES = 500;
/** Earlier visits shown, collapsed, under the current one. */
export const TRAIL_EARLIER_VISITS = 20;

export const trailPageView = z.object({
  url: z.string(),
  title: z.string().nullable(),
  openedAt: z.string(),
  /** Until the next page of the visit, or the visit's last sign of life for its last page. */
  seconds: z.number(),
});

export const trailVisitView = z.object({
  id: z.number(),
  startedAt: z.string(),
  lastAt: z.string(),
  source: z.object({
    kind: z.enum(['search', 'referrer', 'campaign', 'direct']),
    searchEngine: z.string().nullable(),
    keyword: z.string().nullable(),
    referrer: z.string().nullable(),
    campaign: z.string().nullable(),
  }),
  landingUrl: z.string().nullable(),
  /** Newest first. */
  pages: z.array(trailPageView),
  /** All page views of the visit, including those past the listed ones. */
  pageCount: z.number(),
});

export const trailView = z.object({ current: trailVisitView.nullable(), earlier: z.array(trailVisitView) });
export type TrailView = z.infer<typeof trailView>;
type VisitView = z.infer<typeof trailVisitView>;

const iso = (d: Date | string) => new Date(d).toISOString();

function campaignOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).searchParams.get('utm_campaign') || null;
  } catch {
    return null;
  }
}

function sourceOf(v: {
  search_engine: string | null;
  search_keyword: string | null;
  referrer: string | null;
  landing_url: string | null;
}): VisitView['source'] {
  const campaign = campaignOf(v.landing_url);
  const kind = v.search_engine ? 'search' : campaign ? 'campaign' : v.referrer ? 'referrer' : 'direct';
  return { kind, searchEngine: v.search_engine, keyword: v.search_keyword, referrer: v.referrer, campaign };
}

/** The visitor's current visit and up to 20 earlier ones, each with its newest page views first. */
export async function readTrail(t: Tenant, visitorId: number): Promise<TrailView> {
  const visits = await t
    .q('visits')
    .where({ visitor_id: visitorId })
    .orderBy([
      { column: 'started_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(TRAIL_EARLIER_VISITS + 1)
    .select('id', 'started_at', 'last_at', 'referrer', 'search_engine', 'search_keyword', 'landing_url');
  if (!visits.length) return { current: null, earlier: [] };
  const ids = visits.map((v: any) => Number(v.id));
  // Numbered newest first per visit, so each keeps its latest 500 and still knows its total.
  const ranked = t
    .q('page_views')
    .whereIn('visit_id', ids)
    .select(
      'visit_id',
      'url',
      'title',
      'created_at',
      t.unscoped.raw('row_number() over (partition by visit_id order by created_at desc, id desc) as n'),
      t.unscoped.raw('lag(created_at) over (partition by visit_id order by created_at desc, id desc) as next_at'),
      t.unscoped.raw('count(*) over (partition by visit_id) as total'),
    );
  // `unscoped` only wraps the company-scoped query above, to filter on its window columns.
  const rows = await t.unscoped
    .from(ranked.as('p'))
    .where('n', '<=', TRAIL_PAGES)
    .orderBy([{ column: 'visit_id' }, { column: 'n' }]);
  const byVisit = new Map<number, { pages: VisitView['pages']; total: number }>();
  const lastAt = new Map<number, number>(visits.map((v: any) => [Number(v.id), new Date(v.last_at).getTime()]));
  for (const r of rows) {
    const id = Number(r.visit_id);
    const entry = byVisit.get(id) ?? { pages: [], total: Number(r.total) };
    const opened = new Date(r.created_at).getTime();
    const until = r.next_at ? new Date(r.next_at).getTime() : Math.max(opened, lastAt.get(id) ?? opened);
    entry.pages.push({ url: r.url, title: r.title ?? null, openedAt: iso(r.created_at), seconds: Math.round((until - opened) / 1000) });
    byVisit.set(id, entry);
  }
  const view = (v: any): VisitView => {
    const p = byVisit.get(Number(v.id));
    return {
      id: Number(v.id),
      startedAt: iso(v.started_at),
      lastAt: iso(v.last_at),
      source: sourceOf(v),
      landingUrl: v.landing_url ?? null,
      pages: p?.pages ?? [],
      pageCount: p?.total ?? 0,
    };
  };
  return { current: view(visits[0]), earlier: visits.slice(1).map(view) };
}
