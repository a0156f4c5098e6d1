import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { regionSettingsSchema } from './region-schema.ts';
import { RegionService } from './region-service.ts';

const stored = z.object({ version: z.number(), settings: regionSettingsSchema, updatedAt: z.string().nullable(), updatedBy: z.number().nullable() });

/** 服务地区 (SPEC REGION §7.4). */
export function registerRegionRoutes(api: ApiRouter, c: DependencyContainer) {
  const service = c.resolve(RegionService);
  const tags = ['settings'];
  api.route({
    method: 'get',
    path: '/api/settings/region',
    summary: 'Service region rule (REGION-MODE-1)',
    tags,
    auth: 'agent',
    permission: 'settings.manage',
    response: stored,
    handler: ({ auth }) => service.get(auth.tenant),
  });
  api.route({
    method: 'put',
    path: '/api/settings/region',
    summary: 'Save the service region; `version` is the one read (0 before the first save), stale → 409 settings_changed',
    tags,
    auth: 'agent',
    permission: 'settings.manage',
    body: z.strictObject({ version: z.number().int().min(0), settings: regionSettingsSchema }),
    response: stored,
    handler: ({ body, auth }) => service.put(auth, body),
  });
}
