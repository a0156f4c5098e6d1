import { WidgetSettingsService } from './widget-settings-service.ts';

/** Singletons of this folder, registered in container.ts. */
export const settingsServices = [WidgetSettingsService] as const;
