import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { settingsDocumentRoutes } from '../http/settings-document-routes.ts';
import { CronSupervisor } from '../plugins/cron-supervisor.ts';
import { STYLE_IMAGES, StyleImageService, styleImageUrl, type StyleImageKind } from './style-image-service.ts';
import { WIDGET_CONFIG_TTL_MS, WidgetSettingsService } from './widget-settings-service.ts';
import { widgetSettingsSchema } from './widget-settings-schema.ts';

/** Chat window settings (WINDOW §7.1.2, PRECHAT §7.3, LEAVESET §7.2) and the widget's public config. */
export function registerSettingsRoutes(api: ApiRouter, c: DependencyContainer) {
  const service = c.resolve(WidgetSettingsService);
  const images = c.resolve(StyleImageService);
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
  const uploads: [StyleImageKind, string, string][] = [
    ['ad', 'ad-image', "Upload the chat window's advertisement image; save its key as `ad.image` (WINDOW-AD-3"],
    ['logo', 'logo', "Upload the chat window's logo, shown 32 px high in its header; save its key as `style.logo` (WINDOW-BRAND-6"],
    ['invite', 'invite-image', "Upload the custom invitation's background image; save its key as `invite.style.image` (INVITE-STYLE-6"],
  ];
  for (const [kind, path, what] of uploads)
    api.route({
      method: 'post',
      path: `/api/settings/widget/${path}`,
      summary: `${what}; multipart field \`file\`, PNG, JPEG, GIF or WebP, ≤ ${STYLE_IMAGES[kind].maxBytes / 1024} KB)`,
      tags: ['settings'],
      auth: 'agent',
      permission: 'settings.manage',
      status: 201,
      response: z.object({ key: z.string(), url: z.string() }),
      handler: async ({ auth, ctx }) => {
        const key = await images.upload(ctx.req, auth.companyId, kind);
        return { key, url: styleImageUrl(key) };
      },
    });
  api.route({
    method: 'get',
    path: '/style-images/:key',
    summary: 'A chat-window image (advertisement, logo) as uploaded; a new upload gets a new address, so it is cached for good',
    tags: ['widget'],
    auth: 'public',
    params: z.object({ key: z.string().regex(/^[A-Za-z0-9_-]{22,64}$/) }),
    handler: async ({ params, ctx }) => {
      const image = await images.image(params.key);
      ctx.type = image.mime;
      ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
      ctx.set('X-Content-Type-Options', 'nosniff');
      return image.data;
    },
  });
  // STYLE-UPLOAD-5: uploads never saved into the settings go after a day; one node sweeps.
  c.resolve(CronSupervisor).schedule('core', 'style-images-sweep', '0 17 * * * *', () => images.sweep());
}
