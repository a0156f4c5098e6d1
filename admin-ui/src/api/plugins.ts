import { api } from './client';
import type { LocalizedText } from './types';

export interface PluginRow {
  id: string;
  name: LocalizedText;
  description: LocalizedText;
  installed: boolean;
  status: 'ok' | 'failed';
  error?: string;
  enabled: boolean;
  startsAt: string | null;
  expiresAt: string | null;
}

const base = '/api/plugins';

export const pluginsApi = {
  list: () => api.get<{ items: PluginRow[] }>(base),
  enable: (id: string, expiresAt?: string) =>
    api.post<void>(`${base}/${encodeURIComponent(id)}/enable`, expiresAt ? { expiresAt } : {}),
  disable: (id: string) => api.post<void>(`${base}/${encodeURIComponent(id)}/disable`),
};
