import { UAParser } from 'ua-parser-js';
import { Bots } from 'ua-parser-js/extensions';

export interface ParsedUserAgent {
  /** Name and major version, e.g. "Chrome 124" — the same form the login log shows. */
  browser: string | null;
  /** Name and version, e.g. "Windows 10", "iOS 17.4". */
  os: string | null;
  device: 'desktop' | 'mobile' | 'tablet';
  /** Crawlers, headless browsers, CLI tools and HTTP libraries: never listed as visitors. */
  bot: boolean;
}

// The Bots extension tags these browser types; anything tagged is automation.
const BOT_TYPES = new Set(['crawler', 'fetcher', 'cli', 'library']);

// ua-parser-js names HeadlessChrome and PhantomJS as ordinary browsers, and its
// crawler list misses a few Chinese spiders (e.g. "Sogou wap spider"). "bot" is
// only matched with a boundary or a slash so phone brands like CUBOT stay human.
const BOT_PATTERN =
  /headless|phantomjs|spider|crawler|slurp|lighthouse|puppeteer|playwright|selenium|webdriver|\bbot\b|[a-z]bot\/|\(compatible;[^)]*\+https?:\/\//i;

export function parseUserAgent(ua: string): ParsedUserAgent {
  const text = typeof ua === 'string' ? ua.trim() : '';
  // A browser always sends a user agent; an empty one is a script.
  if (!text) return { browser: null, os: null, device: 'desktop', bot: true };

  const r = new UAParser(text, Bots).getResult();
  const bot = BOT_TYPES.has(r.browser.type ?? '') || BOT_PATTERN.test(text);
  return {
    browser: joinName(r.browser.name, r.browser.major),
    os: joinName(r.os.name, r.os.version),
    device: r.device.type === 'mobile' || r.device.type === 'wearable' ? 'mobile' : r.device.type === 'tablet' ? 'tablet' : 'desktop',
    bot,
  };
}

function joinName(name: string | undefined, version: string | undefined): string | null {
  return [name, version].filter(Boolean).join(' ') || null;
}
