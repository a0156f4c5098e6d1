import { notFound, type PluginContext } from '@kefu/core/plugin';
import type { Entries } from './entries.ts';
import * as S from './schemas.ts';
import type { RobotStore } from './store.ts';

const EDIT = 'robot.kb.edit';
const STATS = 'robot.stats.view';

/**
 * Unmatched questions (ROBOT-UNMATCHED-21): the list, and what an admin does with one — add it as
 * a phrasing of an entry, drop it once a new entry answers it, or ignore it until it is asked again.
 */
export function registerUnmatchedRoutes(ctx: PluginContext, store: RobotStore, entries: Entries) {
  const http = ctx.http;
  const agent = { auth: 'agent' } as const;
  const row = async (companyId: number, id: number) => {
    const r = await store.t(companyId).q('robot_unmatched').where({ id }).first();
    if (!r) throw notFound('Unmatched question not found');
    return r;
  };
  const drop = (companyId: number, id: number) => store.t(companyId).q('robot_unmatched').where({ id }).delete();

  http.route({
    method: 'get',
    path: '/unmatched',
    summary: 'Questions with no direct answer, most asked first; ignored ones until asked again (ROBOT-UNMATCHED-21)',
    ...agent,
    permission: STATS,
    handler: async ({ auth }) => ({
      unmatched: (
        await store
          .t(auth.companyId)
          .q('robot_unmatched')
          .where((w) => w.whereNull('ignored_at').orWhereRaw('last_at > ignored_at'))
          .orderBy([
            { column: 'count', order: 'desc' },
            { column: 'id', order: 'asc' },
          ])
          .limit(200)
      ).map((r: any) => ({
        id: Number(r.id),
        question: r.question,
        count: r.count,
        firstAt: new Date(r.first_at).toISOString(),
        lastAt: new Date(r.last_at).toISOString(),
        conversationId: r.sample_conversation_id ? Number(r.sample_conversation_id) : null,
      })),
    }),
  });
  http.route({
    method: 'post',
    path: '/unmatched/:id/ignore',
    // The database clock, like last_at, so "asked again after the ignore" compares like with like.
    summary: '忽略: hidden until asked again',
    ...agent,
    permission: STATS,
    params: S.idParams,
    handler: async ({ auth, params }) => {
      await row(auth.companyId, params.id);
      await store.t(auth.companyId).q('robot_unmatched').where({ id: params.id }).update({ ignored_at: ctx.db.fn.now() });
      return { ok: true };
    },
  });
  http.route({
    method: 'post',
    path: '/unmatched/:id/phrasing',
    summary: '添加为问法: the question becomes a phrasing of the chosen entry, and leaves the list',
    ...agent,
    permission: EDIT,
    params: S.idParams,
    body: S.unmatchedPhrasingBody,
    handler: async ({ auth, params, body }) => {
      const u = await row(auth.companyId, params.id);
      const e = await entries.get(auth.companyId, body.entryId);
      const updated = await entries.update(auth.companyId, e.id, { phrasings: [...e.phrasings, u.question.slice(0, 200)] });
      await drop(auth.companyId, params.id);
      return updated;
    },
  });
  http.route({
    method: 'delete',
    path: '/unmatched/:id',
    summary: 'Remove a question from the list (after 新建知识 answered it)',
    ...agent,
    permission: EDIT,
    params: S.idParams,
    handler: async ({ auth, params }) => {
      await row(auth.companyId, params.id);
      await drop(auth.companyId, params.id);
    },
  });
}
