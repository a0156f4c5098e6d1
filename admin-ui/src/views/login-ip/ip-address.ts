/**
 * IPv4/IPv6 addresses and CIDR ranges as SPEC LOGINIP-LIST-1 accepts them: a single address, or a
 * range with an IPv4 prefix of /8–/32 or an IPv6 prefix of /16–/128.
 */
export interface ParsedRange {
  version: 4 | 6;
  /** First address of the range as a number. */
  network: bigint;
  prefix: number;
}

export type RangeProblem = 'invalid' | 'prefix';

function parseIPv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || (part.length > 1 && part.startsWith('0'))) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIPv6(text: string): bigint | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (half: string) => (half === '' ? [] : half.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const words: number[] = [];
  const all = [...head, ...tail];
  // An IPv4 tail (::ffff:192.0.2.1) counts as two groups.
  const last = all[all.length - 1];
  let v4: bigint | null = null;
  if (last?.includes('.')) {
    v4 = parseIPv4(last);
    if (v4 === null) return null;
    if (tail.length) tail.pop();
    else head.pop();
  }
  const total = head.length + tail.length + (v4 !== null ? 2 : 0);
  if (halves.length === 1 ? total !== 8 : total > 7) return null;
  for (const group of [...head, ...Array(8 - total).fill('0'), ...tail]) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return null;
    words.push(parseInt(group, 16));
  }
  let value = 0n;
  for (const word of words) value = (value << 16n) | BigInt(word);
  if (v4 !== null) value = (value << 32n) | v4;
  return value;
}

export function parseAddress(text: string): { version: 4 | 6; value: bigint } | null {
  const v4 = parseIPv4(text);
  if (v4 !== null) return { version: 4, value: v4 };
  const v6 = text.includes(':') ? parseIPv6(text) : null;
  return v6 !== null ? { version: 6, value: v6 } : null;
}

export function parseRange(text: string): ParsedRange | RangeProblem {
  const [address, prefixText, extra] = text.trim().split('/');
  if (extra !== undefined || !address) return 'invalid';
  const parsed = parseAddress(address);
  if (!parsed) return 'invalid';
  const bits = parsed.version === 4 ? 32 : 128;
  let prefix = bits;
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText)) return 'invalid';
    prefix = Number(prefixText);
    const min = parsed.version === 4 ? 8 : 16;
    if (prefix < min || prefix > bits) return 'prefix';
  }
  const hostBits = BigInt(bits - prefix);
  return { version: parsed.version, network: (parsed.value >> hostBits) << hostBits, prefix };
}

/** Whether `address` lies in one of the ranges (for the "your address is not listed" warning). */
export function isCovered(address: string, ranges: readonly string[]): boolean {
  const ip = parseAddress(address.trim());
  if (!ip) return false;
  return ranges.some((text) => {
    const range = parseRange(text);
    if (typeof range === 'string' || range.version !== ip.version) return false;
    const hostBits = BigInt((range.version === 4 ? 32 : 128) - range.prefix);
    return (ip.value >> hostBits) << hostBits === range.network;
  });
}
