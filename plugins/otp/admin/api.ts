import { PluginApiError, pluginRequest } from '@kefu/admin-ui/plugin';

/** Errors of this plugin's calls; the calls go through the console's `pluginRequest` (same-origin, session cookie). */
export { PluginApiError as OtpApiError };

export type BindingState = 'none' | 'pending' | 'bound';
export type Policy = 'none' | 'admins' | 'all';

export interface OtpStatus {
  state: BindingState;
  boundAt: string | null;
  lastUsedAt: string | null;
  replacing: boolean;
  pendingExpiresAt: string | null;
  recoveryCodesLeft: number;
  lowRecoveryCodes: boolean;
  policy: Policy;
  obliged: boolean;
  restriction: string | null;
}
export interface BindStart {
  secret: string;
  secretGrouped: string;
  uri: string;
  qrSvg: string;
  issuer: string;
  expiresAt: string;
  replacing: boolean;
}
export interface OtpSettings {
  policy: Policy;
  issuer: string;
  drift: number;
}
export interface BindingItem {
  id: number;
  agentId: string;
  name: string;
  role: 'admin' | 'agent';
  state: BindingState;
  boundAt: string | null;
  lastUsedAt: string | null;
  recoveryCodesLeft: number;
  obliged: boolean;
}
export interface BindingsQuery {
  state?: BindingState;
  q?: string;
  page: number;
  pageSize: number;
}

const BASE = '/api/p/otp';

const call = pluginRequest('otp');

const query = (q: Record<string, string | number | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
};

export const otpApi = {
  status: () => call<OtpStatus>('GET', '/status'),
  bindStart: (password: string, replace?: { code: string }) =>
    call<BindStart>('POST', '/bind/start', replace ? { password, replace: true, code: replace.code } : { password }),
  bindConfirm: (code: string) => call<{ recoveryCodes: string[]; boundAt: string }>('POST', '/bind/confirm', { code }),
  unbind: (password: string, code: string) => call<{ state: 'none' }>('POST', '/unbind', { password, code }),
  regenerate: (password: string, code: string) => call<{ recoveryCodes: string[] }>('POST', '/recovery/regenerate', { password, code }),
  settings: () => call<OtpSettings>('GET', '/policy'),
  saveSettings: (s: Partial<OtpSettings>) => call<OtpSettings>('PUT', '/policy', s),
  bindings: (q: BindingsQuery) => call<{ total: number; policy: Policy; items: BindingItem[] }>('GET', `/bindings${query({ ...q })}`),
  reset: (agentPk: number, password: string) => call<{ endedSessions: number }>('POST', `/bindings/${agentPk}/reset`, { password }),
  exportUrl: (state?: BindingState) => `${BASE}/bindings/export${query({ state })}`,
};
