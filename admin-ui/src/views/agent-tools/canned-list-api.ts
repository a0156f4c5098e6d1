import { api, ApiError } from '@/api/client';
import type { Scope } from '@/api/agent-tools';

/** A canned-reply scope as one list (CHATSET-CANNEDHISTORY-9): versions, import and export work on it. */
export interface CannedListEntry {
  group: string;
  title: string | null;
  content: string;
  shortcut: string | null;
}
export interface CannedList {
  groups: string[];
  entries: CannedListEntry[];
}
export interface CannedVersion {
  id: number;
  createdAt: string;
  author: { id: number; name: string } | null;
  entryCount: number;
}
export interface ImportResult {
  added: number;
  skipped: number;
  rejected: { row: number; reason: string; message: string }[];
}
export interface CannedDraft {
  savedAt: string;
  savedBy: { id: number; name: string } | null;
  list: CannedList;
}
export type TableFormat = 'csv' | 'xlsx';

const base = '/api/agent-tools/canned';

export const cannedListApi = {
  versions: (scope: Scope) => api.get<{ items: CannedVersion[] }>(`${base}/versions`, { query: { scope } }),
  version: (scope: Scope, id: number) => api.get<CannedVersion & { list: CannedList }>(`${base}/versions/${id}`, { query: { scope } }),
  publish: (scope: Scope, list: CannedList) => api.put<CannedList>(`${base}/list`, { scope, ...list }),
  draft: (scope: Scope) => api.get<{ draft: CannedDraft | null }>(`${base}/draft`, { query: { scope } }),
  saveDraft: (scope: Scope, list: CannedList) => api.put<{ draft: CannedDraft | null }>(`${base}/draft`, { scope, ...list }),
  exportUrl: (scope: Scope, format: TableFormat) => `${base}/export?scope=${scope}&format=${format}`,
  /** The file goes as the request body (not JSON), so a 5 MB file is not held to the JSON size limit. */
  async import(scope: Scope, format: TableFormat, mode: 'append' | 'replace', file: File): Promise<ImportResult> {
    const response = await fetch(`${base}/import?scope=${scope}&format=${format}&mode=${mode}`, {
      method: 'POST',
      body: file,
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': 'application/octet-stream' },
    });
    const json = await response.json().catch(() => null);
    if (!response.ok) throw new ApiError(response.status, json?.error?.code ?? `http_${response.status}`, json?.error?.message ?? response.statusText, json?.error?.fields);
    return json as ImportResult;
  },
};
