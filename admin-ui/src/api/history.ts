import type { z } from 'zod';
import type { detailResponse, historyRow, liveResponse, searchResponse } from '../../../core/src/history/history-schemas.ts';
import { api } from './client';

/** 对话查询 (HISTORY §4.1), typed by the server's schemas. */
export type HistoryRow = z.output<typeof historyRow>;
export type HistoryPage = z.output<typeof searchResponse>;
export type HistoryDetail = z.output<typeof detailResponse>;
export type HistoryLive = z.output<typeof liveResponse>;
export type ExportFormat = 'csv' | 'xlsx' | 'html';

/** Filters as the address and the API carry them: strings, an empty one meaning "not set". */
export type HistoryQuery = Record<string, string>;

/** HISTORY-SAVED-15: a named search, or one of the last 10 run (`name` null). */
export interface SavedSearch {
  id: number;
  name: string | null;
  filters: Record<string, string | string[]>;
  shared: boolean;
  readOnly: boolean;
  owner: { id: number; nickname: string | null };
  createdAt: string;
}

export const historyApi = {
  searches: () => api.get<{ saved: SavedSearch[]; recent: SavedSearch[] }>('/api/history/searches'),
  saveSearch: (body: { name: string; filters: HistoryQuery; shared: boolean }) => api.post<SavedSearch>('/api/history/searches', body),
  removeSearch: (id: number) => api.delete<{ ok: true }>(`/api/history/searches/${id}`),
  search: (query: HistoryQuery, signal?: AbortSignal) => api.get<HistoryPage>('/api/history/conversations', { query, signal }),
  count: (query: HistoryQuery, signal?: AbortSignal) => api.get<{ total: number }>('/api/history/conversations/count', { query, signal }),
  detail: (id: number) => api.get<HistoryDetail>(`/api/history/conversations/${id}`),
  /** HISTORY-ONGOING-13: what an open transcript of a running conversation missed while it joined or was offline. */
  messagesAfter: (id: number, afterSeq: number) => api.get<HistoryLive>(`/api/history/conversations/${id}/messages`, { query: { afterSeq: String(afterSeq) } }),
  remove: (ids: number[]) => api.post<{ deleted: number[]; notFound: number[] }>('/api/history/conversations/delete', { ids }),
  settings: () => api.get<{ editableDays: number }>('/api/history/settings'),
  saveSettings: (editableDays: number) => api.put<{ editableDays: number }>('/api/history/settings', { editableDays }),
  exportUrl: (query: HistoryQuery, format: ExportFormat, content: 'list' | 'messages') => {
    const params = new URLSearchParams({ ...Object.fromEntries(Object.entries(query).filter(([, v]) => v !== '')), format, content });
    return `/api/history/export?${params}`;
  },
};
