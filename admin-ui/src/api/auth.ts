import { api } from './client';
import type { Company, Me } from './types';

export interface LoginRequest {
  companyId: string;
  agentId: string;
  password: string;
  remember?: boolean;
  /** How the console runs, for the login log (SPEC LOGINLOG-METHOD-3: 客服端, 网页端, 手机端). */
  method?: 'web' | 'app' | 'mobile';
}

export interface AuthResult {
  agent: Me;
  company: Company;
  /** A password someone else set: the agent should choose their own (SPEC LOGIN-FIRSTPW-15). */
  mustChangePassword?: boolean;
}

export interface MeResult extends AuthResult {
  /** Ids of the plugins enabled for the signed-in company. */
  plugins: string[];
  /** e.g. `otp_binding_required`: the session may only do what the restriction allows. */
  restriction: string | null;
}

/** Whom an e-mailed reset link is for (SPEC LOGIN-FORGOT-14). */
export interface ResetLink {
  companyId: number;
  agentId: string;
  expiresAt: string;
}

// 401 from these calls is an answer (wrong password, OTP step, not signed in), never a lost session.
const step = { sessionCall: false } as const;

export const authApi = {
  login: (body: LoginRequest) => api.post<AuthResult>('/api/auth/login', body, step),
  verify: (challengeId: string, code: string) => api.post<AuthResult>('/api/auth/login/verify', { challengeId, code }, step),
  logout: () => api.post<void>('/api/auth/logout', undefined, step),
  /** What the form offers for a company ID before sign-in (SPEC LOGIN-AUTOLOGIN-10). */
  loginOptions: (companyId: string) => api.get<{ autoLogin: boolean }>(`/api/auth/login-options?companyId=${encodeURIComponent(companyId)}`, step),
  me: () => api.get<MeResult>('/api/auth/me', step),
  requestPasswordReset: (body: { companyId: string; agentId: string }) => api.post<{ accepted: true }>('/api/auth/password-reset', body, step),
  inspectPasswordReset: (token: string) => api.post<ResetLink>('/api/auth/password-reset/inspect', { token }, step),
  completePasswordReset: (token: string, newPassword: string) => api.post<void>('/api/auth/password-reset/complete', { token, newPassword }, step),
};
