import type { z } from 'zod';
import type { avatarSettingsSchema } from '../../../core/src/avatars/avatar-schema.ts';
import type { mobileSettingsSchema } from '../../../core/src/mobile/mobile-schema.ts';
import { api, ApiError } from './client';

/** Window avatars (AVATAR §7.1.6), profile pictures (PROFILE-AVATAR-4) and the mobile window (MOBILE §7.1.5), typed by the server's schemas. */
export type AvatarSettings = z.output<typeof avatarSettingsSchema>;
export type MobileSettings = z.output<typeof mobileSettingsSchema>;

interface Stored<S> {
  version: number;
  settings: S;
  updatedAt: string | null;
  updatedBy: number | null;
}
export type StoredAvatars = Stored<AvatarSettings> & { urls: Record<'agent' | 'visitor' | 'robot', string | null> };

/** An image upload (multipart, so not through the JSON client); field problems come back like the JSON client's. */
export async function postImage<T>(path: string, file: File): Promise<T> {
  const body = new FormData();
  body.set('file', file);
  const response = await fetch(path, { method: 'POST', body, credentials: 'same-origin', headers: { Accept: 'application/json' } });
  const json = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, json?.error?.code ?? `http_${response.status}`, json?.error?.message ?? response.statusText, json?.error?.fields);
  return json as T;
}

export const avatarsApi = {
  get: () => api.get<StoredAvatars>('/api/settings/avatars'),
  save: (version: number, settings: AvatarSettings) => api.put<StoredAvatars>('/api/settings/avatars', { version, settings }),
  uploadImage: (file: File) => postImage<{ key: string; url: string }>('/api/settings/avatars/images', file),
  setMine: (file: File) => postImage<{ avatarUrl: string | null }>('/api/profile/avatar', file),
  removeMine: () => api.delete<{ avatarUrl: string | null }>('/api/profile/avatar'),
};

export const mobileApi = {
  get: () => api.get<Stored<MobileSettings>>('/api/settings/mobile'),
  save: (version: number, settings: MobileSettings) => api.put<Stored<MobileSettings>>('/api/settings/mobile', { version, settings }),
  chatLink: (iconId: number, lang?: string) => api.get<{ url: string; qrSvg: string }>(`/api/icons/${iconId}/chat-link`, { query: lang ? { lang } : undefined }),
};

/** AVATAR-UPLOAD-2, checked before uploading so the common mistakes get an answer at once (the server checks again). */
export const AVATAR_TYPES = 'image/png,image/jpeg,image/gif,image/webp';
export const AVATAR_MAX_BYTES = 200 * 1024;
