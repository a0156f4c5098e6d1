import { BlockList, isIP } from 'node:net';
import { createRequire } from 'node:module';
import type IP2Region from 'ip2region';

import type { Region } from './region-type.ts';

export type { Region };

/** Label for private, loopback, link-local and reserved addresses. */
// REGION-LOOKUP-4 shows private addresses as 局域网 "LAN".
export const LAN_LABEL = '局域网';

const LAN: Region = Object.freeze({ country: null, province: null, city: null, isp: null, label: LAN_LABEL });
const UNKNOWN: Region = Object.freeze({ country: null, province: null, city: null, isp: null, label: '' });

// Checked before the database so these never depend on its data (the bundled
// file maps a few of them to real ISPs, e.g. CGNAT space).
const lanRanges = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 3],
] as const)
  lanRanges.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  lanRanges.addSubnet(net, prefix, 'ipv6');
}

// What the bundled databases answer for addresses they consider non-public.
const DB_LAN_V4_CITY = '内网IP';
const DB_LAN_V6 = new Set(['局域网', 'IANA保留地址', 'IANA特殊地址']);

let db: IP2Region | null = null;

// ip2region reads both files (~11 MB) into memory in its constructor; doing that
// on first use keeps it off the start-up path of processes that never look up.
function database(): IP2Region {
  if (!db) {
    const require = createRequire(import.meta.url);
    const Ctor = (require('ip2region') as { default: typeof IP2Region }).default;
    db = new Ctor();
  }
  return db;
}

export function lookupRegion(ip: string): Region {
  const addr = normalise(ip);
  const family = isIP(addr);
  if (family === 0) return UNKNOWN;
  if (lanRanges.check(addr, family === 4 ? 'ipv4' : 'ipv6')) return LAN;

  let hit: Record<string, unknown> | null;
  try {
    hit = database().searchRaw(addr) as unknown as Record<string, unknown> | null;
  } catch {
    return UNKNOWN; // a malformed address the parser above let through
  }
  if (!hit) return UNKNOWN;
  if (hit.city === DB_LAN_V4_CITY || DB_LAN_V6.has(String(hit.data ?? ''))) return LAN;

  const country = clean(hit.country);
  const province = clean(hit.province);
  const city = clean(hit.city);
  return { country, province, city, isp: clean(hit.isp), label: labelOf(country, province, city) };
}

function normalise(ip: string): string {
  let s = typeof ip === 'string' ? ip.trim() : '';
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  s = s.replace(/%.*$/, ''); // zone id of link-local addresses
  // Dual-stack sockets report IPv4 clients as ::ffff:a.b.c.d.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(s);
  return mapped ? mapped[1]! : s;
}

// ip2region writes "0" or "" for fields it does not know.
function clean(v: unknown): string | null {
  const s = typeof v === 'string' ? v.trim() : '';
  return s && s !== '0' ? s : null;
}

function labelOf(country: string | null, province: string | null, city: string | null): string {
  if (!country) return '';
  // Municipalities come as 北京 / 北京市; show the city once.
  const showProvince = province && !(city && city.startsWith(province));
  return [country, showProvince ? province : null, city].filter(Boolean).join(' ');
}
