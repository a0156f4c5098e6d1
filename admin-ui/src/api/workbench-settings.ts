import { api } from './client';

/**
 * 工作台与登录 (MAIN-SETTINGS-10). The server's schema module also holds its service, which the console
 * cannot compile, so the shape is restated.
 */
export interface WorkbenchSettings {
  multiLogin: 'allow' | 'forbid';
  idleHours: number;
  autoLoginDays: number;
  firstLoginPasswordChange: boolean;
}
export interface StoredWorkbenchSettings {
  version: number;
  settings: WorkbenchSettings;
  updatedAt: string | null;
  updatedBy: number | null;
}

/** 访客列表范围 (VISITOR-SCOPE-4), a document of its own on the same sub-tab. */
export interface VisitorListSettings {
  visitorScope: 'all' | 'group';
}
export interface StoredVisitorListSettings {
  version: number;
  settings: VisitorListSettings;
}

export const workbenchSettingsApi = {
  get: () => api.get<StoredWorkbenchSettings>('/api/settings/workbench'),
  save: (version: number, settings: WorkbenchSettings) => api.put<StoredWorkbenchSettings>('/api/settings/workbench', { version, settings }),
  visitorList: () => api.get<StoredVisitorListSettings>('/api/settings/visitor-list'),
  saveVisitorList: (version: number, settings: VisitorListSettings) =>
    api.put<StoredVisitorListSettings>('/api/settings/visitor-list', { version, settings }),
};
