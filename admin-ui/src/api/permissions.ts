import { api } from './client';
import type { LocalizedText } from './types';

export interface PermissionDef {
  name: string;
  label: LocalizedText;
  section: string;
  /** Set for permissions a plugin contributes. */
  plugin?: string;
  /** Permissions this one implies (e.g. `settings.manage` includes `widget.code`); the server grants them too. */
  includes?: string[];
}

export const permissionsApi = {
  list: () => api.get<{ permissions: PermissionDef[] }>('/api/permissions'),
};
