import { z } from 'zod';

/** An export job as the 导出记录 list, the export routes and `exports.updated` show it (HISTORY-EXPORTJOB-11). */
export const exportJob = z.object({
  id: z.number(),
  kind: z.string().describe('`history` or `leavemsg`'),
  format: z.string(),
  filename: z.string(),
  status: z.enum(['running', 'done', 'failed', 'cancelled', 'expired']),
  done: z.number().describe('Rows written so far (conversations or leave-messages)'),
  total: z.number(),
  size: z.number().nullable().describe('Bytes, once done'),
  error: z.string().nullable().describe('Why it failed or was cancelled (`permission_removed`, `export_too_large`, `export_interrupted`, …)'),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  expiresAt: z.string().nullable().describe('The file is deleted at this time (24 hours after it was finished)'),
});

/**
 * What an export route answers instead of the file when the export is large enough for a job;
 * typed loosely because the same route otherwise answers the file itself.
 */
export const exportJobStarted: z.ZodType<unknown> = z.object({ job: exportJob });
