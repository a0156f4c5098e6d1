import type { z } from 'zod';
import type { bulkResult, phoneBlockView } from '../../../core/src/blocking/phone-block-schemas.ts';
import { api } from './client';

/** 电话回拨阻止 (DISPLAY-PHONEBLOCK-16), typed by the server's schemas. */
export type PhoneBlock = z.output<typeof phoneBlockView>;
export type PhoneBulkResult = z.output<typeof bulkResult>;

export const phoneBlocksApi = {
  list: (query: { q?: string; page: number; pageSize: number }) =>
    api.get<{ items: PhoneBlock[]; total: number; limit: number }>('/api/phone-blocks', {
      query: { ...(query.q ? { q: query.q } : {}), page: String(query.page), pageSize: String(query.pageSize) },
    }),
  add: (body: { number: string; note: string | null; endsAt: string | null }) => api.post<PhoneBlock>('/api/phone-blocks', body),
  /** One number per line, optionally `number, note`; lines that fail come back with their number. */
  addMany: (body: { text: string; note: string | null }) => api.post<PhoneBulkResult>('/api/phone-blocks/bulk', body),
  remove: (id: number) => api.delete<{ ok: true }>(`/api/phone-blocks/${id}`),
};
