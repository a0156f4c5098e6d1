import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { settingsDocumentRoutes } from '../http/settings-document-routes.ts';
import { regionSettingsSchema } from './region-schema.ts';
import { RegionService } from './region-service.ts';

/** 服务地区 (SPEC REGION §7.4). */
export function registerRegionRoutes(api: ApiRouter, c: DependencyContainer) {
  settingsDocumentRoutes(api, {
    path: '/api/settings/region',
    what: 'Service region rule (REGION-MODE-1)',
    schema: regionSettingsSchema,
    service: c.resolve(RegionService),
  });
}
