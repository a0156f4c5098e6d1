import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { parseOr400 } from '../http/validate.ts';
import { HistoryDelete } from './history-delete.ts';
import { HistoryExport } from './history-export.ts';
import { HistoryService } from './history-service.ts';
import { registerHistoryFollow } from './history-follow.ts';
import { HistorySaved, savedSearchBody, savedSearchList, savedSearchPatch, savedSearchView } from './history-saved.ts';
import { ExportJobs } from '../exports/export-jobs.ts';
import { exportJobStarted } from '../exports/export-schemas.ts';
import {
  countQuery,
  detailResponse,
  exportQuery,
  historySettings,
  historySettingsBody,
  liveQuery,
  liveResponse,
  searchQuery,
  searchResponse,
} from './history-schemas.ts';

/** Conversation history (SPEC HISTORY §4.1): search, total, transcript, export, editable window. */
export function registerHistoryRoutes(api: ApiRouter, c: DependencyContainer) {
  const history = c.resolve(HistoryService);
  const exporter = c.resolve(HistoryExport);
  const deleter = c.resolve(HistoryDelete);
  const saved = c.resolve(HistorySaved);
  const jobs = c.resolve(ExportJobs);
  const tags = ['history'];
  registerHistoryFollow(c);
  jobs.register('history', { permission: 'history.export', plan: (auth, params) => exporter.plan(auth, parseOr400(exportQuery, params, 'query')) });

  api.route({
    method: 'get',
    path: '/api/history/conversations',
    summary:
      'Search visible conversations, one keyset page (HISTORY-SEARCH-1, HISTORY-KEYWORD-2, HISTORY-LIST-4, HISTORY-VISIBILITY-5); repeat agentId for several agents',
    tags,
    auth: 'agent',
    query: searchQuery,
    response: searchResponse,
    handler: async ({ query, auth, ctx }) => {
      const page = await history.search(auth, query);
      // A new search (not a further page) becomes the first of 最近搜索 (HISTORY-SAVED-15).
      if (!query.cursor) await saved.recordRecent(auth, ctx.query);
      return page;
    },
  });
  api.route({
    method: 'get',
    path: '/api/history/conversations/count',
    summary: 'The exact number of visible conversations matching the same filters (共 N 条, HISTORY-PERF-3)',
    tags,
    auth: 'agent',
    query: countQuery,
    response: z.object({ total: z.number() }),
    handler: ({ query, auth }) => history.count(auth, query),
  });
  api.route({
    method: 'get',
    path: '/api/history/conversations/:id',
    summary:
      'Transcript of a visible conversation, every message in order, whispers included (HISTORY-DETAIL-6); a running one is also visible to whoever may monitor its serving agent (HISTORY-ONGOING-13)',
    tags,
    auth: 'agent',
    params: z.object({ id: z.coerce.number().int().positive() }),
    response: detailResponse,
    handler: ({ params, auth }) => history.detail(auth, params.id),
  });
  api.route({
    method: 'get',
    path: '/api/history/conversations/:id/messages',
    summary:
      'Messages after `afterSeq` and the status of a visible conversation: an open transcript of a running one polls it to stay live (HISTORY-ONGOING-13)',
    tags,
    auth: 'agent',
    params: z.object({ id: z.coerce.number().int().positive() }),
    query: liveQuery,
    response: liveResponse,
    handler: ({ params, query, auth }) => history.messagesAfter(auth, params.id, query.afterSeq),
  });
  api.route({
    method: 'get',
    path: '/api/history/export',
    summary:
      'Export the ended conversations a search finds as CSV, XLSX or HTML (HISTORY-EXPORT-10): up to 1,000 conversations the file is streamed; more start a background job and the answer is `{ job }` JSON (HISTORY-EXPORTJOB-11; 429 rate_limited with 2 running); too many → 409 export_too_large',
    tags,
    auth: 'agent',
    permission: 'history.export',
    query: exportQuery,
    response: exportJobStarted,
    handler: async ({ query, auth, ctx }) => jobs.deliver(ctx, auth, 'history', await exporter.plan(auth, query)),
  });
  api.route({
    method: 'post',
    path: '/api/history/conversations/delete',
    summary:
      'Delete up to 500 visible ended conversations with their messages, files and evaluations; cannot be undone; a running one → 409 conversation_ongoing (HISTORY-DELETE-12)',
    tags,
    auth: 'agent',
    permission: 'history.delete',
    body: z.strictObject({ ids: z.array(z.number().int().positive()).min(1).max(500) }),
    response: z.object({ deleted: z.array(z.number()), notFound: z.array(z.number()) }),
    handler: ({ body, auth }) => deleter.remove(auth, [...new Set(body.ids)]),
  });
  const searchId = z.object({ id: z.coerce.number().int().positive() });
  api.route({
    method: 'get',
    path: '/api/history/searches',
    summary: 'My saved searches with those admins shared (read-only unless mine), and my last 10 searches (HISTORY-SAVED-15)',
    tags,
    auth: 'agent',
    response: savedSearchList,
    handler: ({ auth }) => saved.list(auth),
  });
  api.route({
    method: 'post',
    path: '/api/history/searches',
    summary: 'Save a search under a name, at most 20 per agent (409 too_many_searches); `shared` (admins) shows it to the whole company',
    tags,
    auth: 'agent',
    body: savedSearchBody,
    response: savedSearchView,
    handler: ({ body, auth }) => saved.create(auth, body),
  });
  api.route({
    method: 'put',
    path: '/api/history/searches/:id',
    summary: 'Rename or (admins) share or unshare one of my saved searches',
    tags,
    auth: 'agent',
    params: searchId,
    body: savedSearchPatch,
    response: savedSearchView,
    handler: ({ params, body, auth }) => saved.update(auth, params.id, body),
  });
  api.route({
    method: 'delete',
    path: '/api/history/searches/:id',
    summary: 'Delete one of my saved searches',
    tags,
    auth: 'agent',
    params: searchId,
    response: z.object({ ok: z.literal(true) }),
    handler: async ({ params, auth }) => {
      await saved.remove(auth, params.id);
      return { ok: true as const };
    },
  });
  api.route({
    method: 'get',
    path: '/api/history/settings',
    summary: 'Editable window: days after the end during which evaluations may change (HISTORY-LOCK-9)',
    tags,
    auth: 'agent',
    response: historySettings,
    handler: ({ auth }) => history.settings(auth.tenant),
  });
  api.route({
    method: 'put',
    path: '/api/history/settings',
    summary: 'Set the editable window, 30–3650 days (HISTORY-LOCK-9)',
    tags,
    auth: 'agent',
    permission: 'settings.manage',
    body: historySettingsBody,
    response: historySettings,
    handler: ({ body, auth }) => history.saveSettings(auth, body.editableDays),
  });
}
