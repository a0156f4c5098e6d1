import { z } from 'zod';
import { inject, injectable } from '../infra/di.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import type { AuthInfo } from '../auth/auth-info.ts';
import { conflict, forbidden, notFound } from '../http/errors.ts';
import { parseOr400 } from '../http/validate.ts';
import { countQuery } from './history-schemas.ts';

export const MAX_SAVED = 20;
const MAX_RECENT = 10;

/** The search's conditions as the page address carries them (HISTORY-API-14): strings, or lists for repeated keys. */
export const searchFilters = z.record(z.string().max(40), z.union([z.string().max(200), z.array(z.string().max(200)).max(50)]));
type Filters = z.output<typeof searchFilters>;

export const savedSearchBody = z.strictObject({
  name: z.string().trim().min(1).max(40),
  filters: searchFilters,
  /** Admins only: the whole company sees it, read-only. */
  shared: z.boolean().default(false),
});
export const savedSearchPatch = z.strictObject({ name: z.string().trim().min(1).max(40).optional(), shared: z.boolean().optional() });

export const savedSearchView = z.object({
  id: z.number(),
  name: z.string().nullable(),
  filters: searchFilters,
  shared: z.boolean(),
  /** Someone else's shared search: it can be run, not changed. */
  readOnly: z.boolean(),
  owner: z.object({ id: z.number(), nickname: z.string().nullable() }),
  createdAt: z.string(),
});
export const savedSearchList = z.object({ saved: z.array(savedSearchView), recent: z.array(savedSearchView) });

/** Only the conditions: paging and sort keys are not part of what was searched. */
const PAGING = new Set(['cursor', 'pageSize', 'sort', 'order']);
const onlyFilters = (raw: Record<string, unknown>): Filters =>
  Object.fromEntries(Object.entries(raw).filter(([key, v]) => !PAGING.has(key) && v !== undefined && v !== '')) as Filters;
const sameFilters = (a: Filters, b: Filters) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/**
 * Saved searches (HISTORY-SAVED-15): up to 20 named searches per agent, admins may share one with
 * the company (read-only for the others), and the last 10 searches run are kept as 最近搜索.
 */
@injectable()
export class HistorySaved {
  constructor(@inject(TOKENS.Clock) private readonly clock: Clock) {}

  async list(auth: AuthInfo) {
    const rows = await auth.tenant
      .q('saved_searches as s')
      .join('agents as a', 'a.id', 's.agent_id')
      .where((w) => w.where('s.agent_id', auth.agent.id).orWhere((x) => x.where({ 's.kind': 'saved', 's.shared': true })))
      .orderBy([
        { column: 's.created_at', order: 'desc' },
        { column: 's.id', order: 'desc' },
      ])
      .select('s.*', 'a.nickname');
    const view = (r: any) => ({
      id: Number(r.id),
      name: r.name ?? null,
      filters: r.filters,
      shared: !!r.shared,
      readOnly: Number(r.agent_id) !== auth.agent.id,
      owner: { id: Number(r.agent_id), nickname: r.nickname ?? null },
      createdAt: new Date(r.created_at).toISOString(),
    });
    return {
      saved: rows.filter((r: any) => r.kind === 'saved').map(view),
      recent: rows.filter((r: any) => r.kind === 'recent').map(view),
    };
  }

  async create(auth: AuthInfo, input: z.output<typeof savedSearchBody>) {
    if (input.shared && auth.agent.role !== 'admin') throw forbidden('admin', 'Only admins share searches with the company');
    parseOr400(countQuery, input.filters, 'filters');
    const [{ n }] = await auth.tenant.q('saved_searches').where({ agent_id: auth.agent.id, kind: 'saved' }).count<{ n: string }[]>('id as n');
    if (Number(n) >= MAX_SAVED) throw conflict('too_many_searches', `At most ${MAX_SAVED} saved searches`);
    const [row] = await auth.tenant
      .insert('saved_searches', {
        agent_id: auth.agent.id,
        kind: 'saved',
        name: input.name,
        filters: JSON.stringify(onlyFilters(input.filters)),
        shared: input.shared,
        created_at: this.clock.now(),
      })
      .returning('id');
    return this.one(auth, Number(row.id));
  }

  async update(auth: AuthInfo, id: number, patch: z.output<typeof savedSearchPatch>) {
    await this.own(auth, id);
    if (patch.shared && auth.agent.role !== 'admin') throw forbidden('admin', 'Only admins share searches with the company');
    await auth.tenant
      .q('saved_searches')
      .where({ id })
      .update({ ...(patch.name !== undefined && { name: patch.name }), ...(patch.shared !== undefined && { shared: patch.shared }) });
    return this.one(auth, id);
  }

  async remove(auth: AuthInfo, id: number) {
    await this.own(auth, id);
    await auth.tenant.q('saved_searches').where({ id }).delete();
  }

  /** 最近搜索: a first page searched moves its conditions to the top; the 11th oldest goes. */
  async recordRecent(auth: AuthInfo, raw: Record<string, unknown>) {
    const filters = onlyFilters(raw);
    const t = auth.tenant;
    const recent = await t.q('saved_searches').where({ agent_id: auth.agent.id, kind: 'recent' }).orderBy('created_at', 'desc').select('id', 'filters');
    const same = recent.find((r: any) => sameFilters(r.filters, filters));
    if (same) await t.q('saved_searches').where({ id: same.id }).update({ created_at: this.clock.now() });
    else await t.insert('saved_searches', { agent_id: auth.agent.id, kind: 'recent', filters: JSON.stringify(filters), created_at: this.clock.now() });
    const keep = same ? recent.length : recent.length + 1;
    if (keep > MAX_RECENT) {
      const drop = recent
        .filter((r: any) => r !== same)
        .slice(MAX_RECENT - 1)
        .map((r: any) => r.id);
      await t.q('saved_searches').whereIn('id', drop).delete();
    }
  }

  private async one(auth: AuthInfo, id: number) {
    const found = (await this.list(auth)).saved.find((s: { id: number }) => s.id === id);
    if (!found) throw notFound('Saved search not found');
    return found;
  }

  /** Another agent's search, shared or not, cannot be changed: it answers like a missing one. */
  private async own(auth: AuthInfo, id: number) {
    if (!(await auth.tenant.q('saved_searches').where({ id, agent_id: auth.agent.id, kind: 'saved' }).first('id'))) throw notFound('Saved search not found');
  }
}
