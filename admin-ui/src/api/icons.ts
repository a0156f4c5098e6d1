import type { z } from 'zod';
import type { iconBody, iconView } from '../../../core/src/icons/icon-schemas.ts';
import type { tagSettingsSchema } from '../../../core/src/icons/tag-schema.ts';
import type { regionSettingsSchema } from '../../../core/src/region/region-schema.ts';
import { api } from './client';

/** Chat icons (ICON §7.1.1), custom tags (TAG §7.1.7) and the service region (REGION §7.4), typed by the server's schemas. */
export type Icon = z.output<typeof iconView>;
export type IconInput = z.input<typeof iconBody>;
export type TagSettings = z.output<typeof tagSettingsSchema>;
export type RegionSettings = z.output<typeof regionSettingsSchema>;

interface Stored<S> {
  version: number;
  settings: S;
  updatedAt: string | null;
  updatedBy: number | null;
}

export const iconsApi = {
  list: () => api.get<Icon[]>('/api/icons'),
  create: (body: IconInput) => api.post<Icon>('/api/icons', body),
  update: (id: number, body: IconInput) => api.put<Icon>(`/api/icons/${id}`, body),
  remove: (id: number) => api.delete<void>(`/api/icons/${id}`),
  tags: () => api.get<Stored<TagSettings>>('/api/settings/tags'),
  saveTags: (version: number, settings: TagSettings) => api.put<Stored<TagSettings>>('/api/settings/tags', { version, settings }),
  region: () => api.get<Stored<RegionSettings>>('/api/settings/region'),
  saveRegion: (version: number, settings: RegionSettings) => api.put<Stored<RegionSettings>>('/api/settings/region', { version, settings }),
};
