import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { settingsDocumentRoutes } from '../http/settings-document-routes.ts';
import { WIDGET_CONFIG_TTL_MS, WidgetSettingsService } from './widget-settings-service.ts';
import { widgetSettingsSchema } from './widget-settings-schema.ts';

/** Chat window settings (WINDOW §7.1.2, PRECHAT §7.3, LEAVESET §7.2) and the widget's public config. */
export function registerSettingsRoutes(api: ApiRouter, c: DependencyContainer) {
  const service = c.resolve(WidgetSettingsService);
  settingsDocumentRoutes(api, {
    path: '/api/settings/widget',
    what: 'Chat window, pre-chat and leave-message settings (STYLE-STORE-2)',
    schema: widgetSettingsSchema,
    service,
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
