import { api, ApiError } from './client';
import type { MessageView } from '@/stores/workbench-types';

/** The three lists of SPEC CHATSET-CANNED-7, CHATSET-LINKS-12 and CHATSET-FILES-13, by their path segment. */
export type ToolKind = 'canned' | 'links' | 'files';
export type Scope = 'company' | 'personal';

export interface ToolGroup {
  id: number;
  scope: Scope;
  name: string;
  /** welcome | common | closing | general while a seeded group keeps its name. */
  builtin: string | null;
  position: number;
}

interface ItemBase {
  id: number;
  scope: Scope;
  groupId: number;
  position: number;
  updatedAt: string;
}
export interface CannedReply extends ItemBase {
  title: string | null;
  content: string;
  shortcut: string | null;
}
export interface CommonLink extends ItemBase {
  title: string;
  url: string;
}
export interface CommonFile extends ItemBase {
  title: string;
  file: { key: string; name: string; size: number; mime: string; kind: 'image' | 'file'; url: string };
}
export type ToolItem = CannedReply | CommonLink | CommonFile;

export interface ToolTree<T extends ToolItem = ToolItem> {
  groups: ToolGroup[];
  items: T[];
  canEditCompany: boolean;
}

export interface Topic {
  id: number;
  name: string;
  position: number;
  isDefault: boolean;
  deleted: boolean;
}

const base = (kind: ToolKind) => `/api/agent-tools/${kind}`;

export const agentToolsApi = {
  stamp: () => api.get<{ stamp: string }>('/api/agent-tools/stamp'),
  tree: <T extends ToolItem>(kind: ToolKind) => api.get<ToolTree<T>>(`${base(kind)}/tree`),
  list: <T extends ToolItem>(kind: ToolKind, query: { scope: Scope; groupId?: number; q?: string; page: number; pageSize: number }) =>
    api.get<{ items: T[]; total: number }>(base(kind), { query }),
  create: <T extends ToolItem>(kind: ToolKind, body: Record<string, unknown>) => api.post<T>(base(kind), body),
  update: <T extends ToolItem>(kind: ToolKind, id: number, body: Record<string, unknown>) => api.patch<T>(`${base(kind)}/${id}`, body),
  remove: (kind: ToolKind, id: number) => api.delete<void>(`${base(kind)}/${id}`),
  groups: (kind: ToolKind, scope: Scope) => api.get<{ items: ToolGroup[] }>(`${base(kind)}/groups`, { query: { scope } }),
  addGroup: (kind: ToolKind, scope: Scope, name: string) => api.post<ToolGroup>(`${base(kind)}/groups`, { scope, name }),
  renameGroup: (kind: ToolKind, id: number, name: string) => api.patch<ToolGroup>(`${base(kind)}/groups/${id}`, { name }),
  reorder: (kind: ToolKind, scope: Scope, groupId: number, ids: number[]) => api.put<void>(`${base(kind)}/order`, { scope, groupId, ids }),
  reorderGroups: (kind: ToolKind, scope: Scope, ids: number[]) => api.put<void>(`${base(kind)}/groups/order`, { scope, ids }),
  removeGroup: (kind: ToolKind, id: number) => api.delete<void>(`${base(kind)}/groups/${id}`),
  suggest: (q: string) => api.get<{ items: CannedReply[] }>('/api/agent-tools/canned/suggest', { query: { q } }),
  send: (kind: 'links' | 'files', id: number, conversationId: number) => api.post<{ message: MessageView }>(`${base(kind)}/${id}/send`, { conversationId }),
};

export const topicsApi = {
  list: () => api.get<{ items: Topic[] }>('/api/topics'),
  create: (name: string) => api.post<Topic>('/api/topics', { name }),
  update: (id: number, body: { name?: string; isDefault?: boolean }) => api.patch<Topic>(`/api/topics/${id}`, body),
  remove: (id: number) => api.delete<void>(`/api/topics/${id}`),
  reorder: (ids: number[]) => api.put<{ items: Topic[] }>('/api/topics/order', { ids }),
};

/** Stores a file without sending it anywhere (a common file's upload); answers its key. */
export async function storeFile(file: File): Promise<string> {
  const body = new FormData();
  body.set('file', file);
  const response = await fetch('/api/files', { method: 'POST', body, credentials: 'same-origin', headers: { Accept: 'application/json' } });
  const json = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, json?.error?.code ?? `http_${response.status}`, json?.error?.message ?? response.statusText, json?.error?.fields);
  return json.file.key;
}
