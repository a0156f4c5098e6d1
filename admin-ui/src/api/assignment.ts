import type { z } from 'zod';
import type { chatSettingsSchema } from '../../../core/src/conversations/chat-settings.ts';
import { api } from './client';
import type { ConversationView } from './conversations';

/** 自动分配 settings (ASSIGN-SCREEN-16), typed by the server's schema. */
export type AssignmentSettings = z.output<typeof chatSettingsSchema>;
export interface StoredAssignmentSettings {
  version: number;
  settings: AssignmentSettings;
}

export const assignmentApi = {
  get: () => api.get<StoredAssignmentSettings>('/api/settings/assignment'),
  save: (version: number, settings: AssignmentSettings) => api.put<StoredAssignmentSettings>('/api/settings/assignment', { version, settings }),
};

/** 排队监控 (ASSIGN-DASHBOARD-17). */
export interface QueueDashboard {
  scopes: { groupId: number | null; name: string | null; waiting: number; longestWaitSeconds: number; freeAgents: number }[];
  agents: { id: number; nickname: string; status: string; load: number; cap: number; todayCount: number; lastAssignedAt: string | null; canAccept: boolean }[];
  waiting: { conversation: ConversationView; position: number }[];
}

export const queueApi = {
  dashboard: () => api.get<QueueDashboard>('/api/queue/dashboard'),
  dispatch: (conversationId: number, agentId: number) => api.post<{ conversation: ConversationView }>('/api/queue/dispatch', { conversationId, agentId }),
};
