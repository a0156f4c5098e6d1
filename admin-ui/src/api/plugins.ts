import { api } from './client';
import type { LocalizedText } from './types';

/**
 * A plugin of this server and its licence for the company. The round-1 contract named the dates
 * `startsAt`/`expiresAt`; core answers `startsOn`/`expiresOn` (calendar days), so both are read.
 */
export interface PluginRow {
  id: string;
  version?: string;
  name: LocalizedText;
  description: LocalizedText;
  installed?: boolean;
  status: 'ok' | 'failed' | 'uninstalled';
  error?: string | null;
  enabled: boolean;
  startsOn?: string | null;
  expiresOn?: string | null;
  startsAt?: string | null;
  expiresAt?: string | null;
  quantity?: number | null;
}

export interface PluginList {
  items: PluginRow[];
  /** `managed`: the operator sets licences and admins see them read-only (SPEC BILLING-MODE-8). */
  mode?: 'open' | 'managed';
}

export const pluginStart = (p: PluginRow) => p.startsOn ?? p.startsAt ?? null;
export const pluginExpiry = (p: PluginRow) => p.expiresOn ?? p.expiresAt ?? null;

const base = '/api/plugins';

export const pluginsApi = {
  list: () => api.get<PluginList>(base),
  /** `expiresOn` is a date (`YYYY-MM-DD`); the licence is valid through the end of that day. */
  enable: (id: string, expiresOn?: string) => api.post<void>(`${base}/${encodeURIComponent(id)}/enable`, expiresOn ? { expiresOn } : {}),
  disable: (id: string) => api.post<void>(`${base}/${encodeURIComponent(id)}/disable`),
};
