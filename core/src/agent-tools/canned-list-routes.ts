import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { idParams } from '../accounts/agent-schemas.ts';
import { readFileBody, tableMime } from '../infra/table-files.ts';
import { CannedIo, MAX_BYTES } from './canned-io.ts';
import { CannedLibrary } from './canned-library.ts';
import { cannedList, cannedListBody, draftView, exportQuery, importQuery, importResult, scopeQuery, versionView } from './tool-schemas.ts';

const tags = ['agent tools'];
const base = '/api/agent-tools/canned';

/**
 * The 常用语管理 editor's whole-list operations: publish, versions
 * (CHATSET-CANNEDHISTORY-9), draft (CHATSET-CANNEDDRAFT-10), export and
 * import (CHATSET-CANNEDIO-11). Company scope needs canned.manage, except export.
 */
export function registerCannedListRoutes(api: ApiRouter, c: DependencyContainer) {
  const library = c.resolve(CannedLibrary);
  const io = c.resolve(CannedIo);

  api.route({
    method: 'put',
    path: `${base}/list`,
    summary: "Publish a scope's whole list as one new version; its draft is deleted (CHATSET-CANNEDHISTORY-9)",
    tags,
    auth: 'agent',
    body: cannedListBody,
    response: cannedList,
    handler: ({ body, auth }) => library.publish(auth, body.scope, body),
  });
  api.route({
    method: 'get',
    path: `${base}/versions`,
    summary: "A scope's saved versions, newest first; the last 50 are kept (CHATSET-CANNEDHISTORY-9)",
    tags,
    auth: 'agent',
    query: scopeQuery,
    response: z.object({ items: z.array(versionView) }),
    handler: async ({ query, auth }) => ({ items: await library.versions(auth, query.scope) }),
  });
  api.route({
    method: 'get',
    path: `${base}/versions/:id`,
    summary: "One version's list, to load into the editor; publishing it makes a new version (CHATSET-CANNEDHISTORY-9)",
    tags,
    auth: 'agent',
    params: idParams,
    query: scopeQuery,
    response: versionView.omit({ entryCount: true }).extend({ list: cannedList }),
    handler: ({ params, query, auth }) => library.version(auth, query.scope, params.id),
  });
  api.route({
    method: 'get',
    path: `${base}/draft`,
    summary: "The scope's draft with who saved it and when, or null (CHATSET-CANNEDDRAFT-10)",
    tags,
    auth: 'agent',
    query: scopeQuery,
    response: draftView,
    handler: ({ query, auth }) => library.draft(auth, query.scope),
  });
  api.route({
    method: 'put',
    path: `${base}/draft`,
    summary: '保存为草稿: keep the unsaved list without publishing it; replaces the previous draft (CHATSET-CANNEDDRAFT-10)',
    tags,
    auth: 'agent',
    body: cannedListBody,
    response: draftView,
    handler: ({ body, auth }) => library.saveDraft(auth, body.scope, body),
  });
  api.route({
    method: 'get',
    path: `${base}/export`,
    summary: 'A scope as XLSX or CSV: 分组, 标题, 内容, 快捷码, 排序 (CHATSET-CANNEDIO-11)',
    tags,
    auth: 'agent',
    query: exportQuery,
    handler: async ({ query, auth, ctx }) => {
      const file = await io.export(auth, query.scope, query.format);
      ctx.set('Content-Disposition', `attachment; filename="canned-${query.scope}.${query.format}"`);
      ctx.type = tableMime(query.format);
      return file;
    },
  });
  api.route({
    method: 'post',
    path: `${base}/import`,
    summary: 'Import the export format, sent as the request body (≤ 5,000 rows, ≤ 5 MB), as one version; every rejected row is reported (CHATSET-CANNEDIO-11)',
    tags,
    auth: 'agent',
    query: importQuery,
    response: importResult,
    handler: async ({ query, auth, ctx }) => io.import(auth, query.scope, query.format, await readFileBody(ctx.req, MAX_BYTES), query.mode),
  });
}
