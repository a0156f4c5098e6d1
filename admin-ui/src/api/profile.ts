import { api } from './client';
import type { Me } from './types';

export interface ProfileUpdate {
  nickname?: string;
  email?: string | null;
  phone?: string | null;
}

/** One of my sessions. The contract names the client `browser`; core sends the raw `userAgent` and `kind`. */
export interface SessionRow {
  id: number | string;
  current: boolean;
  kind?: string;
  /** app, web, mobile or api (LOGINLOG-METHOD-3). */
  method?: string | null;
  ip: string | null;
  browser?: string | null;
  userAgent?: string | null;
  createdAt: string;
  lastActiveAt: string | null;
}

const base = '/api/profile';

export const profileApi = {
  get: () => api.get<Me>(base),
  update: (body: ProfileUpdate) => api.patch<Me>(base, body),
  changePassword: (currentPassword: string, newPassword: string) => api.post<void>(`${base}/password`, { currentPassword, newPassword }),
  sessions: () => api.get<{ items: SessionRow[] }>(`${base}/sessions`),
  endSession: (id: number | string) => api.post<void>(`${base}/sessions/${encodeURIComponent(String(id))}/end`),
  /** 退出其他设备: every session but this one, in one call. */
  endOtherSessions: () => api.post<{ ended: number }>(`${base}/sessions/end-others`),
};
