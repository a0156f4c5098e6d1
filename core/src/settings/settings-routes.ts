import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { WIDGET_CONFIG_TTL_MS, WidgetSettingsService } from './widget-settings-service.ts';
import { widgetSettingsSchema } from './widget-settings-schema.ts';

const stored = z.object({ version: z.number(), settings: widgetSettingsSchema, updatedAt: z.string().nullable(), updatedBy: z.number().nullable() });

/** Chat window settings (WINDOW §7.1.2, PRECHAT §7.3, LEAVESET §7.2) and the widget's public config. */
export function registerSettingsRoutes(api: ApiRouter, c: DependencyContainer) {
  const service = c.resolve(WidgetSettingsService);
  const tags = ['settings'];
  api.route({
    method: 'get',
    path: '/api/settings/widget',
    summary: 'Chat window, pre-chat and leave-message settings (STYLE-STORE-2)',
    tags,
    auth: 'agent',
    permission: 'settings.manage',
    response: stored,
    handler: ({ auth }) => service.get(auth.tenant),
  });
  api.route({
    method: 'put',
    path: '/api/settings/widget',
    summary: 'Save the chat window settings; `version` is the one read (0 before the first save), stale → 409 settings_changed',
    tags,
    auth: 'agent',
    permission: 'settings.manage',
    body: z.strictObject({ version: z.number().int().min(0), settings: widgetSettingsSchema }),
    response: stored,
    handler: ({ body, auth }) => service.put(auth, body),
  });
  api.route({
    method: 'get',
    path: '/api/widget/config',
    summary: 'The widget configuration a visitor may see, by company ID (cached ≤ 5 s; includes whether anyone serves)',
    tags: ['widget'],
    auth: 'public',
    query: z.object({ c: z.coerce.number().int().positive() }),
    response: z.record(z.string(), z.unknown()),
    handler: async ({ query, ctx }) => {
      const config = await service.publicConfig(query.c);
      ctx.set('Cache-Control', `public, max-age=${WIDGET_CONFIG_TTL_MS / 1000}`);
      return config;
    },
  });
}
