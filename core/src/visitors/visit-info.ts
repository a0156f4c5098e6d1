// What the widget reports about a visit, turned into the columns agents see
// (VISITOR-ROW-3): browser/OS/device and bot flag, search engine and keyword
// (ANALYTICS-SOURCE-CLASSIFY-1), and region (REGION-LOOKUP-4). All pure apart
// from the region database, which is read from disk once on first lookup.
export { parseUserAgent, type ParsedUserAgent } from './visit-info-ua.ts';
export { parseReferrer, SEARCH_ENGINE_NAMES, type ParsedReferrer, type ReferrerSource } from './visit-info-referrer.ts';
export { lookupRegion, LAN_LABEL, type Region } from './visit-info-region.ts';
