import { api } from './client';

export interface LoginIpEntry {
  cidr: string;
  note: string | null;
}

/** A saved entry, with who added it (agent `id`) and when. */
export interface SavedLoginIpEntry extends LoginIpEntry {
  addedBy?: number | null;
  addedAt?: string | null;
}

export interface LoginIpSettings {
  enabled: boolean;
  entries: SavedLoginIpEntry[];
  /** The caller's address as the server sees it. */
  yourIp: string;
}

export interface LoginIpSave {
  enabled: boolean;
  entries: LoginIpEntry[];
  /** Required to save a list that does not contain the caller's address (else 409 `would_lock_out`). */
  confirmLockout?: boolean;
}

const path = '/api/settings/login-ip';

export const loginIpApi = {
  get: () => api.get<LoginIpSettings>(path),
  save: (body: LoginIpSave) => api.put<LoginIpSettings | undefined>(path, body),
};
