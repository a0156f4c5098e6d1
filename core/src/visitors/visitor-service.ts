import { inject, injectable } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { randomToken, sha256 } from '../infra/crypto.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { HookRegistry } from '../hooks/hook-registry.ts';

/** Visits are runs of page views with gaps under 30 minutes (VISITOR-ARRIVE-2). */
const VISIT_GAP_MS = 30 * 60_000;

export interface VisitorRef {
  id: number;
  companyId: number;
  number: number;
  channel: string;
}

export interface ClientInfo {
  ip: string;
  userAgent?: string;
  language?: string;
}

/**
 * Visitors and their trail. The server issues the token (≥128 bits, stored
 * hashed); an unknown token gets a new visitor, so a client can never choose one.
 */
@injectable()
export class VisitorService {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(HookRegistry) private readonly hooks: HookRegistry,
  ) {}

  async identify(companyId: number, token: string | undefined, client: ClientInfo): Promise<{ visitor: VisitorRef; token: string }> {
    if (token && token.length <= 100) {
      const row = await this.db('visitors')
        .where({ token_hash: sha256(token), company_id: companyId })
        .first();
      if (row) {
        await this.db('visitors').where({ id: row.id }).update({ last_seen_at: this.clock.now(), last_ip: client.ip });
        return { visitor: this.ref(row), token };
      }
    }
    const fresh = randomToken(24);
    const row = await this.create(companyId, { token_hash: sha256(fresh), channel: 'web', last_ip: client.ip, language: client.language ?? null });
    return { visitor: this.ref(row), token: fresh };
  }

  /** Channel API: a visitor known by a platform's own id (IM, SMS, API). */
  async byExternalId(companyId: number, channel: string, externalId: string, profile: { name?: string } = {}): Promise<VisitorRef> {
    const row = await this.db('visitors').where({ company_id: companyId, channel, external_id: externalId }).first();
    if (row) return this.ref(row);
    try {
      return this.ref(await this.create(companyId, { channel, external_id: externalId, name: profile.name ?? null }));
    } catch (err: any) {
      if (err?.code !== '23505') throw err;
      return this.ref(await this.db('visitors').where({ company_id: companyId, channel, external_id: externalId }).first());
    }
  }

  /** Records a page view; starts a new visit after 30 minutes of silence. */
  async pageView(
    v: VisitorRef,
    page: { url: string; title?: string; referrer?: string; iconId?: number | null },
    visitInfo: Omit<import('./describe-visit.ts').VisitDescription, 'bot'>,
  ): Promise<{ visitId: number; newVisit: boolean }> {
    const t = new Tenant(this.db, v.companyId);
    const now = this.clock.now();
    const { visitId, newVisit } = await t.transaction(async (tt) => {
      const last = await tt.q('visits').where({ visitor_id: v.id }).orderBy('last_at', 'desc').first();
      if (last && now.getTime() - new Date(last.last_at).getTime() < VISIT_GAP_MS) {
        await tt.q('visits').where({ id: last.id }).update({ last_at: now });
        return { visitId: Number(last.id), newVisit: false };
      }
      const [row] = await tt.insert('visits', { visitor_id: v.id, landing_url: page.url, started_at: now, last_at: now, ...visitInfo }).returning('id');
      await tt.q('visitors').where({ id: v.id }).increment('visit_count', 1);
      return { visitId: Number(row.id), newVisit: true };
    });
    await t.insert('page_views', { visitor_id: v.id, visit_id: visitId, url: page.url, title: page.title ?? null, created_at: now });
    // The icon of the page last viewed (none: unbound) scopes who sees the visitor (VISITOR-SCOPE-4).
    const visitorPatch: Record<string, unknown> = { last_seen_at: now, icon_id: page.iconId ?? null };
    for (const k of ['region', 'browser', 'os', 'device', 'language'] as const) if (visitInfo[k]) visitorPatch[k] = visitInfo[k];
    await t.q('visitors').where({ id: v.id }).update(visitorPatch);
    const ctx = { companyId: v.companyId, actor: { kind: 'visitor' as const, id: v.id } };
    if (newVisit) await this.hooks.emit('visitor.arrived', { visitorId: v.id, visitId, channel: v.channel }, ctx);
    await this.hooks.emit('visitor.pageview', { visitorId: v.id, visitId, url: page.url, title: page.title ?? null }, ctx);
    return { visitId, newVisit };
  }

  private async create(companyId: number, row: Record<string, unknown>) {
    return this.db.transaction(async (trx) => {
      const [c] = await trx('companies').where({ id: companyId }).increment('next_visitor_number', 1).returning('next_visitor_number');
      const [created] = await new Tenant(trx, companyId).insert('visitors', { ...row, number: Number(c.next_visitor_number) - 1 }).returning('*');
      return created;
    });
  }

  private ref(row: any): VisitorRef {
    return { id: Number(row.id), companyId: Number(row.company_id), number: Number(row.number), channel: row.channel };
  }
}
