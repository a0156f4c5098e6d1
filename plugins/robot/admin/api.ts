import { PluginApiError, pluginRequest } from '@kefu/admin-ui/plugin';

/** Errors of this plugin's calls; the calls go through the console's `pluginRequest` (same-origin, session cookie). */
export { PluginApiError as RobotApiError };

export interface Entry {
  id: number;
  categoryId: number | null;
  question: string;
  phrasings: string[];
  answer: string;
  keywords: string[];
  language: string;
  enabled: boolean;
  hitCount: number;
  clickCount: number;
}
export type EntryInput = Pick<Entry, 'question' | 'phrasings' | 'answer' | 'keywords' | 'categoryId' | 'language' | 'enabled'>;
export interface Similar {
  id: number;
  question: string;
  categoryId: number | null;
  answerPreview: string;
  confidence: number;
}
export interface Category {
  id: number;
  parentId: number | null;
  name: string;
  kind: string;
  sort: number;
}
export interface ImportResult {
  created: number;
  updated: number;
  skipped: number;
  rejected: { row: number; reason: string }[];
}
export interface Stats {
  entries: { id: number; question: string; hits: number; clicks: number }[];
  daily: { day: string; conversations: number; received: number; answered: number; related: number; fallback: number; clicks: number; handovers: number }[];
  totals: { conversations: number; handovers: number; answered: number; related: number; fallback: number; clicks: number };
  handoverRate: number;
}
export interface Unmatched {
  id: number;
  question: string;
  count: number;
  firstAt: string;
  lastAt: string;
  conversationId: number | null;
}
export interface SearchResult {
  id: number;
  question: string;
  answer: string;
  categoryId: number | null;
}
export interface Settings {
  mode: 'off' | 'when_no_agent' | 'first';
  directThreshold: number;
  listThreshold: number;
  handoverKeywords: string[];
  texts: Record<string, Record<string, string>>;
}
export interface AskResult {
  type: 'answer' | 'related' | 'fallback';
  entry: { id: number; question: string; answer: string; confidence: number } | null;
  candidates: { entryId: number; question: string; confidence: number }[];
}

const call = pluginRequest('robot');

export const robotApi = {
  entries: (q: string, offset = 0) => call<{ total: number; entries: Entry[] }>('GET', `/entries?limit=50&offset=${offset}${q ? `&q=${encodeURIComponent(q)}` : ''}`),
  create: (e: EntryInput) => call<Entry>('POST', '/entries', e),
  update: (id: number, e: Partial<EntryInput>) => call<Entry>('PUT', `/entries/${id}`, e),
  remove: (id: number) => call<void>('DELETE', `/entries/${id}`),
  similar: (texts: string[], excludeId?: number) => call<{ similar: Similar[] }>('POST', '/entries/similar', { texts, excludeId }),
  categories: () => call<{ categories: Category[] }>('GET', '/categories'),
  createCategory: (name: string, parentId: number | null) => call<{ id: number }>('POST', '/categories', { name, parentId }),
  updateCategory: (id: number, c: { name?: string; parentId?: number | null; sort?: number }) => call<{ ok: true }>('PUT', `/categories/${id}`, c),
  removeCategory: (id: number, moveTo?: number) => call<void>('DELETE', `/categories/${id}${moveTo ? `?moveTo=${moveTo}` : ''}`),
  importFile: (format: 'csv' | 'xlsx', data: string, mode: 'add' | 'update') => call<ImportResult>('POST', '/import', { format, data, mode }),
  exportUrl: (format: 'csv' | 'xlsx') => `/api/p/robot/export?format=${format}`,
  stats: () => call<Stats>('GET', '/stats'),
  unmatched: () => call<{ unmatched: Unmatched[] }>('GET', '/unmatched'),
  ignoreUnmatched: (id: number) => call<{ ok: true }>('POST', `/unmatched/${id}/ignore`, {}),
  unmatchedAsPhrasing: (id: number, entryId: number) => call<Entry>('POST', `/unmatched/${id}/phrasing`, { entryId }),
  removeUnmatched: (id: number) => call<void>('DELETE', `/unmatched/${id}`),
  search: (q: string, categoryId?: number | null) =>
    call<{ results: SearchResult[] }>('GET', `/search?q=${encodeURIComponent(q)}${categoryId ? `&categoryId=${categoryId}` : ''}`),
  settings: () => call<Settings>('GET', '/settings'),
  saveSettings: (s: Partial<Settings>) => call<Settings>('PUT', '/settings', s),
  ask: (text: string, language?: string) => call<AskResult>('POST', '/ask', { text, language: language || null }),
};
