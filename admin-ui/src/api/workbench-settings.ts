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

/** The conversation settings of the same sub-tab, in companies' chat settings (CONV-TRANSFER-30, CONV-FILE-14/16, CONV-MONITOR-35). */
export const FILE_GROUPS = ['documents', 'images', 'archives', 'media'] as const;
export interface WorkbenchChatSettings {
  transferTimeoutSeconds: number;
  maxFileMb: number;
  fileGroups: (typeof FILE_GROUPS)[number][];
  autoAcceptVisitorFiles: boolean;
  monitorNotice: boolean;
}
export interface StoredWorkbenchChatSettings {
  version: number;
  settings: WorkbenchChatSettings;
}

/** 允许实时查看 (CONV-LIVEVIEW-21), a document of its own. */
export interface LiveViewSettings {
  liveView: boolean;
}
export interface StoredLiveViewSettings {
  version: number;
  settings: LiveViewSettings;
}

export const workbenchSettingsApi = {
  get: () => api.get<StoredWorkbenchSettings>('/api/settings/workbench'),
  save: (version: number, settings: WorkbenchSettings) => api.put<StoredWorkbenchSettings>('/api/settings/workbench', { version, settings }),
  visitorList: () => api.get<StoredVisitorListSettings>('/api/settings/visitor-list'),
  saveVisitorList: (version: number, settings: VisitorListSettings) =>
    api.put<StoredVisitorListSettings>('/api/settings/visitor-list', { version, settings }),
  chat: () => api.get<StoredWorkbenchChatSettings>('/api/settings/workbench-chat'),
  saveChat: (version: number, settings: WorkbenchChatSettings) =>
    api.put<StoredWorkbenchChatSettings>('/api/settings/workbench-chat', { version, settings }),
  liveView: () => api.get<StoredLiveViewSettings>('/api/settings/live-view'),
  saveLiveView: (version: number, settings: LiveViewSettings) => api.put<StoredLiveViewSettings>('/api/settings/live-view', { version, settings }),
};
