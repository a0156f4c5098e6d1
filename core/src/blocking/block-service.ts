import net from 'node:net';
import { z } from 'zod';
import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { conflict, fieldError, notFound } from '../http/errors.ts';
import { ipInList, normalizeIp, parseCidrList } from '../http/client-ip.ts';
import { Tenant } from '../tenancy/tenant.ts';

export const blockBody = z.strictObject({
  kind: z.enum(['visitor', 'chat']),
  cidr: z.string().trim().max(60).optional(),
  visitorId: z.number().int().positive().optional(),
  endsAt: z.coerce.date().nullable().optional(),
  note: z.string().trim().max(100).nullable().optional(),
  confirmSelf: z.boolean().optional(),
});

export const MAX_BLOCKS = 1000;

/** An address or a range no wider than IPv4 /16 or IPv6 /48 (DISPLAY-BLOCKADD-11). */
function normalizeRange(raw: string): string {
  const [addr, bits, extra] = raw.split('/');
  if (extra !== undefined || !net.isIP(addr)) throw fieldError('cidr', 'invalid_address', 'Not an IPv4/IPv6 address or CIDR range');
  if (bits === undefined) return normalizeIp(addr);
  const n = Number(bits);
  const [min, max] = net.isIPv6(addr) ? [48, 128] : [16, 32];
  if (!/^\d+$/.test(bits) || n > max) throw fieldError('cidr', 'invalid_address', 'Bad prefix length');
  if (n < min) throw fieldError('cidr', 'range_too_wide', `At most /${min}`);
  return `${normalizeIp(addr)}/${n}`;
}

export type BlockKind = 'visitor' | 'chat';

/** Blocks apply to every agent and node of the company; they are read from the database on each check. */
@injectable()
export class BlockService {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {}

  /** The strongest live block matching this visitor or address, if any ('visitor' beats 'chat'). */
  async check(companyId: number, visitorId: number | null, ip: string | null): Promise<BlockKind | null> {
    const rows = await new Tenant(this.db, companyId)
      .q('blocks')
      .where((w) => w.whereNull('ends_at').orWhere('ends_at', '>', this.clock.now()))
      .select('id', 'kind', 'cidr', 'visitor_id');
    const hits = rows.filter((r: any) => (visitorId && Number(r.visitor_id) === visitorId) || (ip && r.cidr && ipInList(ip, parseCidrList(r.cidr))));
    if (!hits.length) return null;
    await this.db('blocks')
      .whereIn(
        'id',
        hits.map((h: any) => h.id),
      )
      .increment('hits', 1);
    return hits.some((h: any) => h.kind === 'visitor') ? 'visitor' : 'chat';
  }

  async list(t: Tenant) {
    const rows = await t
      .q('blocks')
      .where((w) => w.whereNull('ends_at').orWhere('ends_at', '>', this.clock.now()))
      .orderBy('id', 'desc');
    return rows.map((r: any) => ({
      id: Number(r.id),
      kind: r.kind,
      cidr: r.cidr,
      visitorId: r.visitor_id ? Number(r.visitor_id) : null,
      note: r.note,
      endsAt: r.ends_at ? new Date(r.ends_at).toISOString() : null,
      createdBy: r.created_by ? Number(r.created_by) : null,
      createdAt: new Date(r.created_at).toISOString(),
      hits: Number(r.hits),
    }));
  }

  async add(auth: AuthInfo, input: z.output<typeof blockBody>, callerIp: string) {
    const t = auth.tenant;
    if (!input.cidr && !input.visitorId) throw fieldError('cidr', 'required', 'An address, a range or a visitor');
    if (input.endsAt && input.endsAt <= this.clock.now()) throw fieldError('endsAt', 'end_in_past', 'The end is in the past');
    const cidr = input.cidr ? normalizeRange(input.cidr) : null;
    if (input.visitorId && !(await t.q('visitors').where({ id: input.visitorId }).first('id'))) throw notFound('Visitor not found');
    if (cidr && ipInList(callerIp, parseCidrList(cidr)) && !input.confirmSelf) throw conflict('would_block_self', `This covers your own address ${callerIp}`);
    const [{ n }] = await t.q('blocks').count<{ n: string }[]>('* as n');
    if (Number(n) >= MAX_BLOCKS) throw conflict('block_limit', `At most ${MAX_BLOCKS} blocks`);
    const dup = await t
      .q('blocks')
      .where({ kind: input.kind, cidr, visitor_id: input.visitorId ?? null })
      .first('id');
    if (dup) throw conflict('duplicate_entry', 'This block exists');
    const [row] = await t
      .insert('blocks', {
        kind: input.kind,
        cidr,
        visitor_id: input.visitorId ?? null,
        note: input.note ?? null,
        ends_at: input.endsAt ?? null,
        created_by: auth.agent.id,
      })
      .returning('id');
    return Number(row.id);
  }

  async remove(t: Tenant, id: number) {
    const n = await t.q('blocks').where({ id }).delete().returning('id');
    if (!n.length) throw notFound('Block not found');
  }
}
