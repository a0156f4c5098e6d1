import { useConsole } from '@kefu/admin-ui/plugin';

/** The plugin's HTTP calls (/api/p/otp/…), same-origin with the session cookie. */
export class OtpApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

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

function language(): string {
  try {
    return useConsole().locale();
  } catch {
    return 'zh-CN';
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': language() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(BASE + path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new OtpApiError(0, 'network_error', 'Network error');
  }
  const text = await res.text();
  const json = text ? (JSON.parse(text) as Record<string, any>) : undefined;
  if (!res.ok) {
    const { code = `http_${res.status}`, message = res.statusText, ...extra } = json?.error ?? {};
    throw new OtpApiError(res.status, code, message, extra);
  }
  return json as T;
}

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
