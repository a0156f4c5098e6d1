import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { HistoryDelete } from './history-delete.ts';
import { HistoryExport } from './history-export.ts';
import { HistoryService } from './history-service.ts';
import { countQuery, detailResponse, exportQuery, historySettings, historySettingsBody, searchQuery, searchResponse } from './history-schemas.ts';

/** Conversation history (SPEC HISTORY §4.1): search, total, transcript, export, editable window. */
export function registerHistoryRoutes(api: ApiRouter, c: DependencyContainer) {
  const history = c.resolve(HistoryService);
  const exporter = c.resolve(HistoryExport);
  const deleter = c.resolve(HistoryDelete);
  const tags = ['history'];

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
    summary: 'Export the ended conversations a search finds as CSV, XLSX or HTML, streamed (HISTORY-EXPORT-10); too many → 409 export_too_large',
    tags,
    auth: 'agent',
    permission: 'history.export',
    query: exportQuery,
    handler: async ({ query, auth, ctx }) => {
      const file = await exporter.open(auth, query);
      ctx.set('Content-Disposition', `attachment; filename="${file.filename}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`);
      ctx.type = file.contentType;
      return file.body;
    },
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
