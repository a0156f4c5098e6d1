import type { z } from 'zod';
import type { chatSettingsSchema } from '../../../core/src/conversations/chat-settings.ts';
import { api } from './client';

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
