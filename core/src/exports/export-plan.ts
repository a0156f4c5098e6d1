import type { Readable } from 'node:stream';
import type { AuthInfo } from '../auth/auth-info.ts';

/**
 * An export checked and counted but not yet written: the route streams it at once when it is
 * small, otherwise a job opens it again later, under the requester's rights at that time
 * (HISTORY-EXPORTJOB-11).
 */
export interface ExportPlan {
  /** The rows progress counts in: conversations for history, leave-messages for theirs. */
  count: number;
  filename: string;
  contentType: string;
  /** The audit entry (filters, format, count) written once per request. */
  audit: { action: string; new: Record<string, unknown> };
  /** The file, pulled as it is read; `progress` is awaited after each batch and may throw to stop it. */
  open(progress?: (rows: number) => Promise<void>): Readable;
}

export const EXPORT_MIME = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  html: 'text/html; charset=utf-8',
} as const;

/** What an export kind gives the job runner: the permission it needs and how to plan it again. */
export interface ExportKind {
  permission: string;
  /** `query` is the export request's query string as it was sent. */
  plan(auth: AuthInfo, query: unknown): Promise<ExportPlan>;
}

/**
 * Sizes of HISTORY-EXPORTJOB-11; tests lower them. `batch` rows are read per query (and per
 * progress step), `direct` rows or fewer stream straight to the browser, `perAgent` jobs may run
 * at once, a running job's heartbeat goes stale after `staleMs`, files are kept `keepMs`.
 */
export const EXPORT_TUNING = {
  batch: 500,
  direct: 1000,
  perAgent: 2,
  progressMs: 1000,
  heartbeatMs: 5000,
  staleMs: 30_000,
  keepMs: 24 * 3600_000,
  attempts: 3,
};
