import type { z } from 'zod';
import type { policySettingsSchema } from '../../../core/src/policies/policy-settings-schema.ts';
import { api } from './client';
import type { Page } from './types';

/** 对话设置 (POLICY §7.1.8) and the agent's own automatic replies (CHATSET §10.1.2), typed by the server's schemas. */
export type PolicySettings = z.output<typeof policySettingsSchema>;
/** The schema's module also holds its service, which the console cannot compile, so the shape is restated. */
export interface AutoReplySettings {
  welcome: { enabled: boolean; text: string };
  noReply: { enabled: boolean; delaySeconds: number; text: string };
}

export interface StoredPolicySettings {
  version: number;
  settings: PolicySettings;
  /** `••••` + the last 4 characters. */
  pushSecret: string | null;
  /** The whole secret, in the one answer that made it (POLICY-PUSH-10). */
  newPushSecret?: string;
  updatedAt: string | null;
  updatedBy: number | null;
}

export interface PushAttempt {
  status: number | null;
  latencyMs: number | null;
  error: string | null;
}

export interface PushDelivery {
  id: number;
  eventId: string;
  type: string;
  conversationId: number | null;
  status: 'pending' | 'delivered' | 'failed' | 'gone';
  attempts: number;
  lastStatus: number | null;
  latencyMs: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export const policiesApi = {
  get: () => api.get<StoredPolicySettings>('/api/settings/policies'),
  save: (version: number, settings: PolicySettings) => api.put<StoredPolicySettings>('/api/settings/policies', { version, settings }),
  rotateSecret: () => api.post<{ secret: string; previousValidUntil: string | null }>('/api/settings/policies/push-secret'),
  testPush: () => api.post<PushAttempt>('/api/settings/policies/push-test'),
  deliveries: (query: { page: number; pageSize: number; failed?: boolean }, signal?: AbortSignal) =>
    api.get<Page<PushDelivery>>('/api/policies/push-deliveries', { query, signal }),
  resend: (id: number) => api.post<PushDelivery>(`/api/policies/push-deliveries/${id}/resend`),
  autoReply: () => api.get<AutoReplySettings>('/api/profile/auto-reply'),
  saveAutoReply: (settings: AutoReplySettings) => api.put<AutoReplySettings>('/api/profile/auto-reply', settings),
};
