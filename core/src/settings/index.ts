import { StyleImageService } from './style-image-service.ts';
import { WidgetSettingsService } from './widget-settings-service.ts';

/** Singletons of this folder, registered in container.ts. */
export const settingsServices = [StyleImageService, WidgetSettingsService] as const;
