import { lookupRegion, parseReferrer, parseUserAgent } from './visit-info.ts';

/** What one page view says about the visit, in the columns agents see (VISITOR-ROW-3). */
export interface VisitDescription {
  ip: string;
  region: string | null;
  browser: string | null;
  os: string | null;
  device: string;
  language: string | null;
  referrer: string | null;
  search_engine: string | null;
  search_keyword: string | null;
  bot: boolean;
}

export function describeVisit(i: { ip: string; userAgent: string; referrer?: string; url: string; language?: string }): VisitDescription {
  const ua = parseUserAgent(i.userAgent);
  const ref = parseReferrer(i.referrer, i.url);
  const region = lookupRegion(i.ip);
  return {
    ip: i.ip,
    region: region.label || null,
    browser: ua.browser,
    os: ua.os,
    device: ua.device,
    language: i.language ?? null,
    referrer: ref.referrer,
    search_engine: ref.searchEngine,
    search_keyword: ref.keyword,
    bot: ua.bot,
  };
}
