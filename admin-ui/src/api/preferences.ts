import type { MessageColor } from '@kefu/core/protocol/palette';
import { api } from './client';

/** The personal settings of §10.1 as core stores them (SPEC DISPLAY-SETTINGS-1); every section is complete. */
export interface Preferences {
  display: {
    toolbar: boolean;
    statusBar: boolean;
    columns: { key: string; shown: boolean }[];
    columnWidths: Record<string, number>;
    groupByStatus: boolean;
    queueOrder: string[];
    visitorMode: 'all' | 'waiting' | 'chatting' | 'mine' | 'browsing';
    hideLeft: boolean;
    sort: { column: string; direction: 'asc' | 'desc' } | null;
  };
  chat: {
    sendKey: 'enter' | 'ctrlEnter';
    switchAfterSend: boolean;
    liveViewOnConnect: boolean;
    noEvaluationPrompt: boolean;
    /** CONV-FONT-13: text size of the agent's own view, colour (palette code) and bold of the agent's messages. */
    fontSize: number;
    fontColor: MessageColor | null;
    fontBold: boolean;
    /** CONV-EMOJI-20: the 24 emoji used last, newest first. */
    recentEmoji: string[];
  };
  status: { afterLogin: 'online' | 'busy' | 'away' | 'invisible'; idleAway: boolean; idleMinutes: number; idleRestore: boolean };
  sound: { muteAll: boolean; muteWhenBusy: boolean; volume: number; events: Record<string, string> };
  notify: Record<string, { popup: boolean; sound: boolean; blink: boolean; badge: boolean }>;
  shortcuts: Record<string, string>;
  general: { language: string | null; theme: 'system' | 'light' | 'dark'; multiAccount: boolean };
  /** The side panel (WORKBENCH-PANEL-1): tab keys in the agent's order, hidden tabs, width in pixels (null: default), open tab. */
  panel: { order: string[]; hidden: string[]; width: number | null; open: string };
}
export type PreferenceSection = keyof Preferences;
export type PreferencesPatch = { [K in PreferenceSection]?: Partial<Preferences[K]> };

export interface PreferencesView {
  preferences: Preferences;
  version: number;
}

export const preferencesApi = {
  get: () => api.get<PreferencesView>('/api/preferences'),
  patch: (patch: PreferencesPatch) => api.patch<PreferencesView>('/api/preferences', patch),
  reset: (section: PreferenceSection) => api.post<PreferencesView>('/api/preferences/reset', { section }),
};
