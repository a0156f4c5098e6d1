import type { z } from 'zod';
import type { widgetSettingsSchema } from '../../../core/src/settings/widget-settings-schema.ts';
import { AVATAR_TYPES, postImage } from './avatars-mobile';
import { api } from './client';

/** The chat window, pre-chat and leave-message settings document (WINDOW, PRECHAT, LEAVESET), typed by the server's schema. */
export type WidgetSettings = z.output<typeof widgetSettingsSchema>;
export type WidgetSettingsInput = z.input<typeof widgetSettingsSchema>;

export interface StoredWidgetSettings {
  /** 0 before the first save; a stale one answers 409 settings_changed (STYLE-STORE-2). */
  version: number;
  settings: WidgetSettings;
  updatedAt: string | null;
  updatedBy: number | null;
}

/** LEAVESET-SMTP-3, LEAVESET-EMAIL-2; the password reads back as •••• plus its last 4 characters. */
export interface MailSettings {
  version: number;
  forwardEnabled: boolean;
  recipients: string[];
  smtp: {
    host: string;
    port: number;
    security: 'none' | 'starttls' | 'tls';
    user: string | null;
    password: string | null;
    fromAddress: string;
    fromName: string | null;
  } | null;
}

/** Omit `smtp.password` to keep the stored one. */
export type MailSettingsInput = Omit<MailSettings, 'smtp'> & { smtp: (Omit<NonNullable<MailSettings['smtp']>, 'password'> & { password?: string | null }) | null };

export const settingsApi = {
  widget: () => api.get<StoredWidgetSettings>('/api/settings/widget'),
  saveWidget: (version: number, settings: WidgetSettings) => api.put<StoredWidgetSettings>('/api/settings/widget', { version, settings }),
  mail: () => api.get<MailSettings>('/api/settings/mail'),
  saveMail: (body: MailSettingsInput) => api.put<MailSettings>('/api/settings/mail', body),
  /** LEAVESET-TYPES-6: moves the leave-messages of a type about to be deleted to `to` (null: 未设置). */
  replaceLeaveType: (from: string, to: string | null) => api.post<{ moved: number }>('/api/settings/leave-message/types/replace', { from, to }),
  uploadAdImage: (file: File) => postImage<{ key: string; url: string }>('/api/settings/widget/ad-image', file),
  uploadLogo: (file: File) => postImage<{ key: string; url: string }>('/api/settings/widget/logo', file),
  uploadInviteImage: (file: File) => postImage<{ key: string; url: string }>('/api/settings/widget/invite-image', file),
};

/** WINDOW-AD-3, checked before uploading so the common mistakes get an answer at once (the server checks again). */
export const AD_TYPES = AVATAR_TYPES;
export const AD_MAX_BYTES = 512 * 1024;
/** WINDOW-BRAND-6. */
export const LOGO_MAX_BYTES = 200 * 1024;
/** INVITE-STYLE-6: the custom invitation's background. */
export const INVITE_IMAGE_MAX_BYTES = 300 * 1024;
