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

/** PROFILE-VIEW-1: what the profile adds to the signed-in agent. */
export interface ProfileView extends Me {
  groups?: { id: number; name: string }[];
  /** Own cap, or null when following the company default (`effectiveMaxChats`). */
  maxChats?: number | null;
  effectiveMaxChats?: number;
  createdAt?: string;
  lastLogin?: { at: string; ip: string | null; method: string | null } | null;
}

const base = '/api/profile';

export const profileApi = {
  get: () => api.get<ProfileView>(base),
  update: (body: ProfileUpdate) => api.patch<Me>(base, body),
  changePassword: (currentPassword: string, newPassword: string) => api.post<void>(`${base}/password`, { currentPassword, newPassword }),
  sessions: () => api.get<{ items: SessionRow[] }>(`${base}/sessions`),
  endSession: (id: number | string) => api.post<void>(`${base}/sessions/${encodeURIComponent(String(id))}/end`),
  /** 退出其他设备: every session but this one, in one call. */
  endOtherSessions: () => api.post<{ ended: number }>(`${base}/sessions/end-others`),
};
