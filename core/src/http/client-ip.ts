import net from 'node:net';
import type { Context } from 'koa';

/** Parses `127.0.0.1,10.0.0.0/8,::1` into a BlockList. */
export function parseCidrList(list: string): net.BlockList {
  const bl = new net.BlockList();
  for (const raw of list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [addr, bits] = raw.split('/');
    const type = net.isIPv6(addr) ? 'ipv6' : 'ipv4';
    if (bits) bl.addSubnet(addr, Number(bits), type);
    else bl.addAddress(addr, type);
  }
  return bl;
}

export const normalizeIp = (ip: string) => (ip.startsWith('::ffff:') && net.isIPv4(ip.slice(7)) ? ip.slice(7) : ip);

export function ipInList(ip: string, list: net.BlockList): boolean {
  const n = normalizeIp(ip);
  return list.check(n, net.isIPv6(n) ? 'ipv6' : 'ipv4');
}

/**
 * The client's address: X-Forwarded-For is believed only hop by hop from the
 * right while each hop is a configured trusted proxy.
 */
export function clientIp(peer: string | undefined, forwardedFor: string | undefined, trusted: net.BlockList): string {
  let ip = normalizeIp(peer ?? '');
  if (!forwardedFor) return ip;
  const hops = forwardedFor
    .split(',')
    .map((s) => normalizeIp(s.trim()))
    .filter((s) => net.isIP(s));
  while (ip && ipInList(ip, trusted) && hops.length) ip = hops.pop()!;
  return ip;
}

export const requestIp = (ctx: Context, trusted: net.BlockList) => clientIp(ctx.req.socket.remoteAddress, ctx.get('x-forwarded-for') || undefined, trusted);
