import { z } from 'zod';
import { conflict, type PluginContext } from '@kefu/core/plugin';
import type { Categories } from './categories.ts';
import type { Entries } from './entries.ts';
import type { KbIo } from './io.ts';
import type { KnowledgeBase } from './kb.ts';
import * as S from './schemas.ts';
import type { RobotStore } from './store.ts';
import { registerReportRoutes } from './routes-reports.ts';

const EDIT = 'robot.kb.edit';
const SETTINGS = 'robot.settings.manage';

/** Routes under /api/p/robot (agent auth; plugin_disabled for companies without the plugin). */
export function registerRoutes(ctx: PluginContext, store: RobotStore, kb: KnowledgeBase, entries: Entries, categories: Categories, io: KbIo) {
  const http = ctx.http;
  const agent = { auth: 'agent' } as const;

  http.route({
    method: 'get',
    path: '/entries',
    summary: 'Knowledge entries, newest first',
    ...agent,
    permission: EDIT,
    query: S.listQuery,
    response: z.object({ total: z.number(), entries: z.array(S.entryView) }),
    handler: ({ auth, query }) => entries.list(auth.companyId, query),
  });
  http.route({
    method: 'get',
    path: '/entries/similar',
    summary: 'Similar existing entries (ROBOT-SIMILAR-6)',
    ...agent,
    permission: EDIT,
    query: S.similarQuery,
    response: S.similarView,
    handler: async ({ auth, query }) => ({ similar: await entries.similar(auth.companyId, [query.q], query.excludeId) }),
  });
  http.route({
    method: 'post',
    path: '/entries/similar',
    summary: 'Similar entries for a question and its phrasings',
    ...agent,
    permission: EDIT,
    body: S.similarBody,
    response: S.similarView,
    handler: async ({ auth, body }) => ({ similar: await entries.similar(auth.companyId, body.texts, body.excludeId) }),
  });
  http.route({
    method: 'get',
    path: '/entries/:id',
    summary: 'One entry',
    ...agent,
    permission: EDIT,
    params: S.idParams,
    response: S.entryView,
    handler: ({ auth, params }) => entries.get(auth.companyId, params.id),
  });
  http.route({
    method: 'post',
    path: '/entries',
    summary: 'Add an entry (ROBOT-ENTRY-4)',
    ...agent,
    permission: EDIT,
    body: S.entryBody,
    response: S.entryView,
    status: 201,
    handler: ({ auth, body }) => entries.create(auth.companyId, body),
  });
  http.route({
    method: 'put',
    path: '/entries/:id',
    summary: 'Edit an entry',
    ...agent,
    permission: EDIT,
    params: S.idParams,
    body: S.entryPatch,
    response: S.entryView,
    handler: ({ auth, params, body }) => entries.update(auth.companyId, params.id, body),
  });
  http.route({
    method: 'delete',
    path: '/entries/:id',
    summary: 'Delete an entry',
    ...agent,
    permission: EDIT,
    params: S.idParams,
    handler: ({ auth, params }) => entries.remove(auth.companyId, params.id),
  });

  http.route({
    method: 'get',
    path: '/categories',
    summary: 'Category tree (flat, with parentId)',
    ...agent,
    handler: async ({ auth }) => ({ categories: await store.categories(auth.companyId) }),
  });
  http.route({
    method: 'post',
    path: '/categories',
    summary: 'Add a category (ROBOT-CATEGORY-3)',
    ...agent,
    permission: EDIT,
    body: S.categoryBody,
    status: 201,
    handler: ({ auth, body }) => categories.create(auth.companyId, body),
  });
  http.route({
    method: 'put',
    path: '/categories/:id',
    summary: 'Rename, move or reorder a category',
    ...agent,
    permission: EDIT,
    params: S.idParams,
    body: S.categoryBody.partial(),
    handler: ({ auth, params, body }) => categories.update(auth.companyId, params.id, body),
  });
  http.route({
    method: 'delete',
    path: '/categories/:id',
    summary: 'Delete a category and its sub-categories; entries move to ?moveTo (required when it holds any; 寒暄库 cannot be deleted)',
    ...agent,
    permission: EDIT,
    params: S.idParams,
    query: S.categoryDeleteQuery,
    handler: ({ auth, params, query }) => categories.remove(auth.companyId, params.id, query.moveTo),
  });

  http.route({
    method: 'get',
    path: '/synonyms',
    summary: 'Synonym groups (ROBOT-SYNONYM-15)',
    ...agent,
    permission: SETTINGS,
    handler: async ({ auth }) => ({ groups: (await store.synonyms(auth.companyId)).map((s) => s.words) }),
  });
  http.route({
    method: 'put',
    path: '/synonyms',
    summary: 'Replace the synonym groups',
    ...agent,
    permission: SETTINGS,
    body: S.synonymsBody,
    handler: async ({ auth, body }) => {
      const seen = new Map<string, number>();
      body.groups.forEach((g, i) =>
        g.forEach((w) => {
          const k = w.toLowerCase();
          if (seen.has(k) && seen.get(k) !== i) throw conflict('synonym_conflict', `"${w}" is in two groups`, { word: w });
          seen.set(k, i);
        }),
      );
      await store.t(auth.companyId).transaction(async (t) => {
        await t.q('robot_synonyms').delete();
        if (body.groups.length)
          await t.insert(
            'robot_synonyms',
            body.groups.map((words) => ({ words })),
          );
      });
      await kb.changed(auth.companyId);
      return { groups: body.groups };
    },
  });

  http.route({
    method: 'get',
    path: '/settings',
    summary: 'Reception mode, thresholds, texts (ROBOT-MODE-12)',
    ...agent,
    permission: SETTINGS,
    handler: ({ auth }) => store.settings(auth.companyId),
  });
  http.route({
    method: 'put',
    path: '/settings',
    summary: 'Change robot settings',
    ...agent,
    permission: SETTINGS,
    body: S.settingsBody,
    handler: async ({ auth, body }) => {
      const cur = await store.settings(auth.companyId);
      if ((body.listThreshold ?? cur.listThreshold) > (body.directThreshold ?? cur.directThreshold))
        throw conflict('threshold_order', 'The listing threshold must not exceed the direct-answer threshold');
      return store.updateSettings(auth.companyId, body as never);
    },
  });

  http.route({
    method: 'post',
    path: '/ask',
    summary: 'Try it (ROBOT-TRY-23): what a visitor would get; no statistics',
    ...agent,
    permission: EDIT,
    body: S.askBody,
    handler: async ({ auth, body }) => {
      const s = await store.settings(auth.companyId);
      const d = await kb.decide(auth.companyId, body.text, s, body.language ?? null);
      const next = await kb.search(auth.companyId, body.text, { language: body.language ?? null, limit: 6 });
      return {
        type: d.type,
        entry: d.type === 'answer' ? { id: d.entry.id, question: d.entry.question, answer: d.entry.answer, confidence: d.confidence } : null,
        // The buttons the visitor would get: 相关问题 after an answer, 您是不是想问 otherwise.
        offered: d.type === 'fallback' ? [] : d.candidates.map((c) => ({ entryId: c.entryId, question: c.question })),
        candidates: next,
      };
    },
  });
  http.route({
    method: 'get',
    path: '/search',
    summary: 'Knowledge search for the workbench side panel (ROBOT-PANEL-17); any agent',
    ...agent,
    query: S.searchQuery,
    handler: async ({ auth, query }) => {
      const found = await kb.search(auth.companyId, query.q, { limit: 20, minConfidence: 0.1 });
      const out = [];
      for (const m of found) {
        const e = await kb.entry(auth.companyId, m.entryId);
        if (e && (!query.categoryId || e.categoryId === query.categoryId))
          out.push({ id: e.id, question: e.question, answer: e.answer, categoryId: e.categoryId });
      }
      return { results: out };
    },
  });
  registerReportRoutes(ctx, store, entries, io);
}
