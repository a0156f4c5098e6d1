import { api } from './client';

export type SignupMode = 'closed' | 'invite' | 'open';

export interface SignupInput {
  companyName: string;
  agentId: string;
  nickname: string;
  email: string;
  password: string;
  challengeId: string;
  answer: string;
  invite?: string;
}

/** 帐号注册 (SPEC LOGIN-REGISTER-13). */
export const signupApi = {
  mode: async () => (await api.get<{ mode: SignupMode }>('/api/signup')).mode,
  challenge: () => api.post<{ challengeId: string; image: string; expiresAt: string }>('/api/signup/challenge'),
  register: (input: SignupInput) => api.post<{ companyId: number; agentId: string }>('/api/signup', input),
};
