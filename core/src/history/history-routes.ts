import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { parseOr400 } from '../http/validate.ts';
import { HistoryDelete } from './history-delete.ts';
import { HistoryExport } from './history-export.ts';
import { HistoryService } from './history-service.ts';
import { ExportJobs } from '../exports/export-jobs.ts';
import { exportJobStarted } from '../exports/export-schemas.ts';
import { countQuery, detailResponse, exportQuery, historySettings, historySettingsBody, searchQuery, searchResponse } from './history-schemas.ts';

/** Conversation history (SPEC HISTORY §4.1): search, total, transcript, export, editable window. */
export function registerHistoryRoutes(api: ApiRouter, c: DependencyContainer) {
  const history = c.resolve(HistoryService);
  const exporter = c.resolve(HistoryExport);
  const deleter = c.resolve(HistoryDelete);
  const jobs = c.resolve(ExportJobs);
  const tags = ['history'];
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
    handler: ({ query, auth }) => history.search(auth, query),
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
    summary: 'Transcript of a visible conversation, every message in order, whispers included (HISTORY-DETAIL-6)',
    tags,
    auth: 'agent',
    params: z.object({ id: z.coerce.number().int().positive() }),
    response: detailResponse,
    handler: ({ params, auth }) => history.detail(auth, params.id),
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
