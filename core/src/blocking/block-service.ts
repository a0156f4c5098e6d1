import net from 'node:net';
import { z } from 'zod';
import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { conflict, fieldError, notFound } from '../http/errors.ts';
import { ipInList, normalizeIp, parseCidrList } from '../http/client-ip.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { LEFT_LISTED_MS, LiveVisitors } from '../visitors/live-visitors.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';

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
export interface BlockMatch {
  kind: BlockKind;
  endsAt: Date | null;
  note: string | null;
}
type BlockRow = { company_id: number | string; kind: BlockKind; cidr: string | null; visitor_id: number | string | null };

const covers = (b: Pick<BlockRow, 'cidr' | 'visitor_id'>, visitorId: number | null, ip: string | null) =>
  (!!visitorId && Number(b.visitor_id) === visitorId) || (!!ip && !!b.cidr && ipInList(ip, parseCidrList(b.cidr)));

/** Blocks apply to every agent and node of the company; they are read from the database on each check. */
@injectable()
export class BlockService {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(LiveVisitors) private readonly live: LiveVisitors,
    @inject(RealtimeNotifier) private readonly notifier: RealtimeNotifier,
  ) {}

  /** The strongest live block matching this visitor or address, if any ('visitor' beats 'chat'); a refusal counts a hit on each. */
  async match(companyId: number, visitorId: number | null, ip: string | null, countHit = true): Promise<BlockMatch | null> {
    const rows = await new Tenant(this.db, companyId)
      .q('blocks')
      .where((w) => w.whereNull('ends_at').orWhere('ends_at', '>', this.clock.now()))
      .select('id', 'kind', 'cidr', 'visitor_id', 'ends_at', 'note');
    const hits = rows.filter((r: any) => covers(r, visitorId, ip));
    if (!hits.length) return null;
    if (countHit)
      await this.db('blocks')
        .whereIn(
          'id',
          hits.map((h: any) => h.id),
        )
        .increment('hits', 1);
    const top = hits.find((h: any) => h.kind === 'visitor') ?? hits[0];
    return { kind: top.kind, endsAt: top.ends_at ? new Date(top.ends_at) : null, note: top.note };
  }

  async check(companyId: number, visitorId: number | null, ip: string | null): Promise<BlockKind | null> {
    return (await this.match(companyId, visitorId, ip))?.kind ?? null;
  }

  /**
   * Tells consoles and widgets of the visitors a block covers, right after it starts or ends
   * (DISPLAY-BLOCKVISITOR-12, DISPLAY-BLOCKEND-15): a fully blocked visitor leaves the lists, any other
   * row is pushed again with its current mark, and each widget learns whether it may offer chat.
   */
  async announce(companyId: number, changed: Pick<BlockRow, 'kind' | 'cidr' | 'visitor_id'>[], started: boolean): Promise<void> {
    const recent = await new Tenant(this.db, companyId)
      .q('visitors')
      .where('last_seen_at', '>', new Date(this.clock.now().getTime() - LEFT_LISTED_MS))
      .select('id', 'last_ip');
    for (const v of recent) {
      const id = Number(v.id);
      const hit = changed.filter((b) => covers(b, id, v.last_ip));
      if (!hit.length) continue;
      const now = await this.match(companyId, id, v.last_ip, false);
      if (started && now?.kind === 'visitor') await this.live.hide(companyId, id);
      else await this.live.push(companyId, id);
      this.notifier.toVisitors(rooms.visitor(id), 'service.blocked', { blocked: !!now });
    }
  }

  /** Entries past their end are removed within a minute (cron, DISPLAY-BLOCKEND-15); their visitors come back. */
  async expireDue(): Promise<number> {
    // A system job reads across companies; each company's visitors are then told within it.
    const gone: BlockRow[] = await this.db('blocks').where('ends_at', '<=', this.clock.now()).delete().returning(['company_id', 'kind', 'cidr', 'visitor_id']);
    for (const companyId of new Set(gone.map((g) => Number(g.company_id))))
      await this.announce(
        companyId,
        gone.filter((g) => Number(g.company_id) === companyId),
        false,
      );
    return gone.length;
  }

  async list(t: Tenant) {
    const rows = await t
      .q('blocks as b')
      .leftJoin('agents as a', 'a.id', 'b.created_by')
      .where((w) => w.whereNull('b.ends_at').orWhere('b.ends_at', '>', this.clock.now()))
      .orderBy('b.id', 'desc')
      .select('b.*', 'a.nickname as created_by_name');
    return rows.map((r: any) => ({
      id: Number(r.id),
      kind: r.kind,
      cidr: r.cidr,
      visitorId: r.visitor_id ? Number(r.visitor_id) : null,
      note: r.note,
      endsAt: r.ends_at ? new Date(r.ends_at).toISOString() : null,
      createdBy: r.created_by ? Number(r.created_by) : null,
      createdByName: r.created_by_name ?? null,
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
    const gone: BlockRow[] = await t.q('blocks').where({ id }).delete().returning(['company_id', 'kind', 'cidr', 'visitor_id']);
    if (!gone.length) throw notFound('Block not found');
    await this.announce(t.companyId, gone, false);
  }
}
