export type ReferrerSource = 'direct' | 'search' | 'external' | 'internal';

export interface ParsedReferrer {
  referrer: string | null;
  /** Stable engine code (see SEARCH_ENGINE_NAMES) so the console can pick the icon. */
  searchEngine: string | null;
  keyword: string | null;
  source: ReferrerSource;
}

/** Display names for the engine codes parseReferrer returns. */
export const SEARCH_ENGINE_NAMES: Readonly<Record<string, string>> = {
  baidu: '百度',
  google: 'Google',
  bing: 'Bing',
  sogou: '搜狗',
  so360: '360搜索',
  shenma: '神马',
  yandex: 'Yandex',
  yahoo: 'Yahoo',
  duckduckgo: 'DuckDuckGo',
  naver: 'Naver',
  yahoojp: 'Yahoo! JAPAN',
};

interface Engine {
  code: string;
  host: RegExp;
  params: string[];
}

// Hosts are narrow on purpose: tieba.baidu.com, maps.google.com or mail.yahoo.com
// send people too, but they are not searches. Yahoo Japan precedes Yahoo.
const ENGINES: Engine[] = [
  { code: 'baidu', host: /^(?:www\.|m\.|wap\.)?baidu\.com$/, params: ['wd', 'word'] },
  { code: 'google', host: /^(?:www\.)?google\.(?:com?\.)?[a-z]{2,3}$/, params: ['q'] },
  { code: 'bing', host: /^(?:www\.|cn\.|global\.)?bing\.com$/, params: ['q'] },
  { code: 'sogou', host: /^(?:www\.|m\.|wap\.)?sogou\.com$/, params: ['query', 'keyword'] },
  { code: 'so360', host: /^(?:www\.|m\.)?so\.com$/, params: ['q'] },
  { code: 'shenma', host: /^(?:[a-z0-9-]+\.)*sm\.cn$/, params: ['q'] },
  { code: 'yandex', host: /^(?:www\.)?(?:yandex\.(?:com\.)?[a-z]{2,3}|ya\.ru)$/, params: ['text'] },
  { code: 'yahoojp', host: /^search\.yahoo\.co\.jp$/, params: ['p'] },
  { code: 'yahoo', host: /^(?:[a-z]{2}\.)?search\.yahoo\.com$/, params: ['p'] },
  { code: 'duckduckgo', host: /^(?:html\.|lite\.)?duckduckgo\.com$/, params: ['q'] },
  { code: 'naver', host: /^(?:m\.)?search\.naver\.com$/, params: ['query'] },
];

// Widget-supplied text is stored and shown; bound it.
const MAX_REFERRER = 2048;
const MAX_KEYWORD = 200;

// Engines that served GBK, EUC-KR or Shift_JIS pages name the query's charset
// (Baidu `ie`, Yahoo Japan `ei`, …); without one, a keyword that is not valid
// UTF-8 is most likely GBK, since most such links come from Chinese engines.
const CHARSET_PARAMS = ['ie', 'ei', 'inputencoding', 'enc'];
const FALLBACK_CHARSET = 'gb18030';

export function parseReferrer(referrer: string | undefined, pageUrl: string): ParsedReferrer {
  const raw = typeof referrer === 'string' ? referrer.trim() : '';
  if (!raw) return { referrer: null, searchEngine: null, keyword: null, source: 'direct' };
  const shown = raw.slice(0, MAX_REFERRER);
  const ref = parseUrl(raw);
  if (!ref) return { referrer: shown, searchEngine: null, keyword: null, source: 'external' };

  const page = parseUrl(pageUrl);
  if (page && ref.hostname && sameSite(ref.hostname, page.hostname)) {
    return { referrer: shown, searchEngine: null, keyword: null, source: 'internal' };
  }

  const host = ref.hostname.toLowerCase();
  const engine = ENGINES.find((e) => e.host.test(host));
  if (!engine) return { referrer: shown, searchEngine: null, keyword: null, source: 'external' };
  return { referrer: shown, searchEngine: engine.code, keyword: keywordOf(ref, engine), source: 'search' };
}

function parseUrl(s: string): URL | null {
  try {
    return new URL(s);
  } catch {
    return null;
  }
}

// Sites commonly redirect example.com ↔ www.example.com, and that hop is not a
// visitor arriving from elsewhere.
function sameSite(a: string, b: string): boolean {
  const strip = (h: string) => h.toLowerCase().replace(/^www\./, '');
  return strip(a) === strip(b);
}

function keywordOf(url: URL, engine: Engine): string | null {
  // URLSearchParams would decode as UTF-8 and turn GBK bytes into U+FFFD, so the
  // raw query is split by hand and the bytes decoded with the named charset.
  const params = rawParams(url.search);
  const label = CHARSET_PARAMS.map((p) => params.get(p)).find((v) => v !== undefined);
  const decoder = label === undefined ? null : decoderFor(new TextDecoder().decode(percentBytes(label)));
  for (const name of engine.params) {
    const value = params.get(name);
    if (value === undefined) continue;
    const keyword = decode(percentBytes(value), decoder).replace(/\s+/g, ' ').trim();
    if (keyword) return keyword.slice(0, MAX_KEYWORD);
  }
  return null;
}

function rawParams(search: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of search.replace(/^\?/, '').split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = (eq < 0 ? pair : pair.slice(0, eq)).toLowerCase();
    // The first occurrence wins, as it does for the engines themselves.
    if (!out.has(key)) out.set(key, eq < 0 ? '' : pair.slice(eq + 1));
  }
  return out;
}

function decoderFor(label: string): TextDecoder | null {
  try {
    return new TextDecoder(label.trim());
  } catch {
    return null; // not a charset TextDecoder knows: guess as if none were named
  }
}

// WHATWG URL has already percent-encoded everything outside ASCII, so each
// remaining character is one byte.
function percentBytes(value: string): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const hex = value.slice(i + 1, i + 3);
    if (c === 0x2b) bytes.push(0x20);
    else if (c === 0x25 && /^[0-9a-f]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(c & 0xff);
  }
  return Uint8Array.from(bytes);
}

function decode(bytes: Uint8Array, decoder: TextDecoder | null): string {
  if (decoder) return decoder.decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder(FALLBACK_CHARSET).decode(bytes);
  }
}
