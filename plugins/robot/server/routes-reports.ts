import type { PluginContext } from '@kefu/core/plugin';
import type { Entries } from './entries.ts';
import type { KbIo } from './io.ts';
import { registerUnmatchedRoutes } from './routes-unmatched.ts';
import * as S from './schemas.ts';
import type { RobotStore } from './store.ts';

const EDIT = 'robot.kb.edit';
const STATS = 'robot.stats.view';

/** Import/export (ROBOT-IO-20), statistics (ROBOT-STATS-22) and unmatched questions (ROBOT-UNMATCHED-21). */
export function registerReportRoutes(ctx: PluginContext, store: RobotStore, entries: Entries, io: KbIo) {
  const http = ctx.http;
  const agent = { auth: 'agent' } as const;
  http.route({
    method: 'get',
    path: '/export',
    summary: 'Export entries as XLSX or CSV (ROBOT-IO-20)',
    ...agent,
    permission: EDIT,
    query: S.exportQuery,
    handler: async ({ auth, query, ctx: koa }) => {
      const buf = await io.export(auth.companyId, query.format);
      koa.set('Content-Disposition', `attachment; filename="knowledge.${query.format}"`);
      koa.type = query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      return buf;
    },
  });
  http.route({
    method: 'post',
    path: '/import',
    summary: 'Import entries; rejected rows reported per row, good rows kept',
    ...agent,
    permission: EDIT,
    body: S.importBody,
    handler: ({ auth, body }) => io.import(auth.companyId, body.format, Buffer.from(body.data, 'base64'), body.mode),
  });

  http.route({
    method: 'get',
    path: '/stats',
    summary: 'Hits and clicks per entry, daily counters, hand-over rate (ROBOT-STATS-22)',
    ...agent,
    permission: STATS,
    handler: async ({ auth }) => {
      const t = store.t(auth.companyId);
      const top = await t
        .q('robot_entries')
        .where('hit_count', '>', 0)
        .orWhere('click_count', '>', 0)
        .orderBy('hit_count', 'desc')
        .limit(20)
        .select('id', 'question', 'hit_count', 'click_count');
      const days = await t.q('robot_daily').orderBy('day', 'desc').limit(31);
      const sum = (k: string) => days.reduce((s: number, d: any) => s + Number(d[k]), 0);
      const conversations = sum('conversations');
      return {
        entries: top.map((r: any) => ({ id: Number(r.id), question: r.question, hits: r.hit_count, clicks: r.click_count })),
        daily: days.map((d: any) => ({ ...d, company_id: undefined, day: new Date(d.day).toISOString().slice(0, 10) })),
        totals: {
          conversations,
          handovers: sum('handovers'),
          answered: sum('answered'),
          related: sum('related'),
          fallback: sum('fallback'),
          clicks: sum('clicks'),
        },
        handoverRate: conversations ? sum('handovers') / conversations : 0,
      };
    },
  });
  registerUnmatchedRoutes(ctx, store, entries);
}
