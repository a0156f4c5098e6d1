import type { z } from 'zod';
import type { exportJob } from '../../../core/src/exports/export-schemas.ts';
import { api } from './client';

/** 导出记录 (HISTORY-EXPORTJOB-11), typed by the server's schema. */
export type ExportJob = z.output<typeof exportJob>;
export interface ExportJobPage {
  items: ExportJob[];
  total: number;
  page: number;
  pageSize: number;
}

export const exportsApi = {
  list: (page: number, pageSize: number) => api.get<ExportJobPage>('/api/exports', { query: { page: String(page), pageSize: String(pageSize) } }),
  downloadUrl: (id: number) => `/api/exports/${id}/download`,
};
