import { api } from './client';
import type { LocalizedText } from './types';

export interface PermissionDef {
  name: string;
  label: LocalizedText;
  section: string;
  /** Set for permissions a plugin contributes; such sections are titled with the plugin. */
  plugin?: string;
}

export const permissionsApi = {
  list: () => api.get<{ permissions: PermissionDef[] }>('/api/permissions'),
};
