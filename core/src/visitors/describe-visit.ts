import { UAParser } from 'ua-parser-js';

/**
 * What one page view says about the visit. A richer parser (regions from an
 * offline IP database, search keywords) replaces this module's internals; the
 * shape stays.
 */
export function describeVisit(i: { ip: string; userAgent: string; referrer?: string; url: string; language?: string }): Record<string, string | null> {
  const ua = new UAParser(i.userAgent).getResult();
  return {
    ip: i.ip,
    browser: [ua.browser.name, ua.browser.major].filter(Boolean).join(' ') || null,
    os: [ua.os.name, ua.os.version].filter(Boolean).join(' ') || null,
    device: ua.device.type === 'mobile' || ua.device.type === 'tablet' ? ua.device.type : 'desktop',
    language: i.language ?? null,
  };
}
