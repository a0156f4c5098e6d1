import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { settingsDocumentRoutes } from '../http/settings-document-routes.ts';
import { AD_MAX_BYTES, AdImageService, adImageUrl } from './ad-image-service.ts';
import { WIDGET_CONFIG_TTL_MS, WidgetSettingsService } from './widget-settings-service.ts';
import { widgetSettingsSchema } from './widget-settings-schema.ts';

/** Chat window settings (WINDOW §7.1.2, PRECHAT §7.3, LEAVESET §7.2) and the widget's public config. */
export function registerSettingsRoutes(api: ApiRouter, c: DependencyContainer) {
  const service = c.resolve(WidgetSettingsService);
  const adImages = c.resolve(AdImageService);
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
  api.route({
    method: 'post',
    path: '/api/settings/widget/ad-image',
    summary: `Upload the chat window's advertisement image; save its key as \`ad.image\` (WINDOW-AD-3; multipart field \`file\`, PNG, JPEG, GIF or WebP, ≤ ${AD_MAX_BYTES / 1024} KB)`,
    tags: ['settings'],
    auth: 'agent',
    permission: 'settings.manage',
    status: 201,
    response: z.object({ key: z.string(), url: z.string() }),
    handler: async ({ auth, ctx }) => {
      const key = await adImages.upload(ctx.req, auth.companyId);
      return { key, url: adImageUrl(key) };
    },
  });
  api.route({
    method: 'get',
    path: '/ad-images/:key',
    summary: 'The advertisement image as uploaded; a new upload gets a new address, so it is cached for good',
    tags: ['widget'],
    auth: 'public',
    params: z.object({ key: z.string().regex(/^[A-Za-z0-9_-]{22,64}$/) }),
    handler: async ({ params, ctx }) => {
      const image = await adImages.image(params.key);
      ctx.type = image.mime;
      ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
      ctx.set('X-Content-Type-Options', 'nosniff');
      return image.data;
    },
  });
}
