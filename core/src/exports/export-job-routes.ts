import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { CronSupervisor } from '../plugins/cron-supervisor.ts';
import { ExportJobs } from './export-jobs.ts';
import { exportJob } from './export-schemas.ts';

/** Server → agent push of this feature. */
export const exportAgentServerEvents = {
  'exports.updated': {
    summary: 'One of this agent’s export jobs progressed, finished, failed, was cancelled or expired (room `agent:<id>`, HISTORY-EXPORTJOB-11)',
    payload: exportJob,
  },
};

/** 导出记录 (HISTORY-EXPORTJOB-11): the requester's export jobs and their files. */
export function registerExportJobRoutes(api: ApiRouter, c: DependencyContainer) {
  const jobs = c.resolve(ExportJobs);
  const tags = ['exports'];

  api.route({
    method: 'get',
    path: '/api/exports',
    summary: 'The caller’s export jobs, newest first, with progress, status, size and expiry (导出记录, HISTORY-EXPORTJOB-11)',
    tags,
    auth: 'agent',
    query: z.object({
      page: z.coerce.number().int().min(1).default(1),
      pageSize: z.coerce.number().int().min(1).max(100).default(20),
    }),
    response: z.object({ items: z.array(exportJob), total: z.number(), page: z.number(), pageSize: z.number() }),
    handler: ({ query, auth }) => jobs.list(auth, query.page, query.pageSize),
  });
  api.route({
    method: 'get',
    path: '/api/exports/:id/download',
    summary: 'The finished file, for the agent who asked for it only, for 24 hours; anyone else, or after that, → 404 (HISTORY-EXPORTJOB-11)',
    tags,
    auth: 'agent',
    params: z.object({ id: z.coerce.number().int().positive() }),
    handler: async ({ params, auth, ctx }) => {
      const file = await jobs.download(auth, params.id);
      ctx.set('Content-Disposition', `attachment; filename="${file.filename}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`);
      ctx.type = file.contentType;
      ctx.length = file.size;
      return file.body;
    },
  });
}

/** `core:export-jobs` restarts jobs of stopped nodes every 5 s; `core:export-cleanup` deletes expired files every minute; one node each. */
export function registerExportJobs(c: DependencyContainer) {
  const jobs = c.resolve(ExportJobs);
  const cron = c.resolve(CronSupervisor);
  cron.schedule('core', 'export-jobs', '*/5 * * * * *', () => jobs.sweep());
  cron.schedule('core', 'export-cleanup', '0 * * * * *', () => jobs.cleanup());
}
