import type { z } from 'zod';
import type { iconBody, iconView } from '../../../core/src/icons/icon-schemas.ts';
import type { tagSettingsSchema } from '../../../core/src/icons/tag-schema.ts';
import type { regionSettingsSchema } from '../../../core/src/region/region-schema.ts';
import { postImage } from './avatars-mobile';
import { api } from './client';

/** Chat icons (ICON §7.1.1), custom tags (TAG §7.1.7) and the service region (REGION §7.4), typed by the server's schemas. */
export type Icon = z.output<typeof iconView>;
export type IconInput = z.input<typeof iconBody>;
export type TagSettings = z.output<typeof tagSettingsSchema>;
/** ICON-IMAGE-4 upload caps, checked before uploading (the server checks again). */
export const ICON_IMAGE_MAX_BYTES = 200 * 1024;
export const ICON_STYLES = 8;
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
  /** ICON-IMAGE-4: an uploaded look, saved into an icon's `image` by its key. */
  uploadImage: (file: File) => postImage<{ key: string; url: string }>('/api/icons/images', file),
  /** A built-in look drawn in the company's theme colour (an `<img>` address; the session cookie authorises it). */
  styleUrl: (style: number, online: boolean, language: string) => `/api/icons/styles/${style}?online=${online}&language=${language}`,
  tags: () => api.get<Stored<TagSettings>>('/api/settings/tags'),
  saveTags: (version: number, settings: TagSettings) => api.put<Stored<TagSettings>>('/api/settings/tags', { version, settings }),
  region: () => api.get<Stored<RegionSettings>>('/api/settings/region'),
  saveRegion: (version: number, settings: RegionSettings) => api.put<Stored<RegionSettings>>('/api/settings/region', { version, settings }),
};
