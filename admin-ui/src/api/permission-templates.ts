import { api } from './client';

/** A permission template (SPEC AGENT-TEMPLATE-18). */
export interface PermissionTemplate {
  id: number;
  name: string;
  permissions: string[];
  isDefault: boolean;
  /** Agents it was last applied to and not edited by hand since: what 重新应用 changes. */
  agentCount: number;
}

/** One agent's outcome of a bulk action: `ok`, `unchanged`, or the error code it got (AGENT-BULK-19). */
export interface BulkResult {
  id: number;
  result: string;
}
export interface BulkResults {
  results: BulkResult[];
  changed: number;
}

export type BulkAction =
  | { kind: 'addGroups' | 'removeGroups'; groupIds: number[] }
  | { kind: 'setMaxChats'; maxChats: number | null }
  | { kind: 'applyTemplate'; templateId: number }
  | { kind: 'disable' | 'enable' };

const base = '/api/permission-templates';

export const templatesApi = {
  list: () => api.get<{ items: PermissionTemplate[] }>(base),
  create: (body: { name: string; permissions: string[]; isDefault?: boolean }) => api.post<PermissionTemplate>(base, body),
  update: (id: number, body: { name?: string; permissions?: string[]; isDefault?: true }) => api.patch<PermissionTemplate>(`${base}/${id}`, body),
  remove: (id: number) => api.delete<void>(`${base}/${id}`),
  reapply: (id: number, dryRun: boolean) => api.post<BulkResults>(`${base}/${id}/reapply`, { dryRun }),
  bulk: (agentIds: number[], action: BulkAction) => api.post<BulkResults>('/api/agents/bulk', { agentIds, action }),
};
