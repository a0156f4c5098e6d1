import type { Context } from 'koa';
import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { settingsDocumentRoutes } from '../http/settings-document-routes.ts';
import { idParams } from '../accounts/agent-schemas.ts';
import { notFound } from '../http/errors.ts';
import { WidgetSettingsService } from '../settings/widget-settings-service.ts';
import { STYLE_IMAGES, StyleImageService, styleImageUrl } from '../settings/style-image-service.ts';
import { ICON_STYLES, iconBody, iconView } from './icon-schemas.ts';
import { LANGS } from '../settings/widget-defaults.ts';
import { IconService } from './icon-service.ts';
import { iconSvg } from './icon-image.ts';
import { tagSettingsSchema } from './tag-schema.ts';
import { TagService } from './tag-service.ts';
import { WidgetSetup } from './widget-setup.ts';

/** The server's public address for embed codes: PUBLIC_URL, else the one the console reached. */
export const originOf = (ctx: Context): string => ctx.state.publicOrigin ?? `${ctx.protocol}://${ctx.host}`;
const iconKey = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/**
 * Chat icons and their embed code (SPEC ICON §7.1.1), custom tags (TAG §7.1.7),
 * and the public calls the widget and script-less icon codes make.
 */
export function registerIconRoutes(api: ApiRouter, c: DependencyContainer) {
  const icons = c.resolve(IconService);
  const tags = c.resolve(TagService);
  const setup = c.resolve(WidgetSetup);
  const widgetSettings = c.resolve(WidgetSettingsService);
  const images = c.resolve(StyleImageService);
  const manage = { tags: ['icons'], auth: 'agent' as const, permission: 'settings.manage' };
  // Uploads saved into an icon survive the sweep of unsaved uploads (STYLE-UPLOAD-5).
  images.addUser((t) => icons.imageKeys(t));

  api.route({
    method: 'get',
    path: '/api/icons',
    summary: 'The company’s chat icons with their embed codes (ICON-LIST-1; 获取代码 widget.code is enough)',
    tags: ['icons'],
    auth: 'agent',
    permission: 'widget.code',
    response: z.array(iconView),
    handler: ({ auth, ctx }) => icons.list(auth.tenant, originOf(ctx)),
  });
  api.route({
    ...manage,
    method: 'post',
    path: '/api/icons',
    summary: 'Create an icon (ICON-TYPES-3, ICON-BIND-5); at most 50 → 409 icon_limit',
    body: iconBody,
    status: 201,
    response: iconView,
    handler: ({ auth, body, ctx }) => icons.create(auth, body, originOf(ctx)),
  });
  api.route({
    ...manage,
    method: 'put',
    path: '/api/icons/:id',
    summary: 'Replace an icon’s settings; embedded copies change at once (ICON-MANAGE-9)',
    params: idParams,
    body: iconBody,
    response: iconView,
    handler: ({ auth, params, body, ctx }) => icons.update(auth, params.id, body, originOf(ctx)),
  });
  api.route({
    ...manage,
    method: 'delete',
    path: '/api/icons/:id',
    summary: 'Delete an icon; its key is never reused (ICON-MANAGE-9)',
    params: idParams,
    handler: async ({ auth, params }) => icons.remove(auth, params.id),
  });

  api.route({
    ...manage,
    method: 'post',
    path: '/api/icons/images',
    summary: `Upload an icon image (ICON-IMAGE-4); multipart field \`file\`, PNG, JPEG, GIF or WebP, ≤ ${STYLE_IMAGES.icon.maxBytes / 1024} KB and ≤ ${STYLE_IMAGES.icon.maxSide}×${STYLE_IMAGES.icon.maxSide} px; save its key in an icon's \`image\``,
    status: 201,
    response: z.object({ key: z.string(), url: z.string() }),
    handler: async ({ auth, ctx }) => {
      const key = await images.upload(ctx.req, auth.companyId, 'icon');
      return { key, url: styleImageUrl(key) };
    },
  });

  api.route({
    ...manage,
    method: 'get',
    path: '/api/icons/styles/:style',
    summary: 'A built-in icon look drawn with the company’s theme colour, online or offline, for the style picker (ICON-IMAGE-4)',
    params: z.object({ style: z.coerce.number().int().min(1).max(ICON_STYLES) }),
    query: z.object({ online: z.enum(['true', 'false']).default('true'), language: z.enum(LANGS).default('zh-CN') }),
    handler: async ({ auth, params, query, ctx }) => {
      const color = (await widgetSettings.read(auth.companyId)).style.themeColor;
      ctx.type = 'image/svg+xml';
      ctx.set('Cache-Control', 'private, max-age=60');
      return iconSvg({ style: params.style, language: query.language, text: { online: {}, offline: {} } }, query.online === 'true', color);
    },
  });

  settingsDocumentRoutes(api, { path: '/api/settings/tags', what: 'Custom tags (TAG-LIST-1)', schema: tagSettingsSchema, service: tags });

  api.route({
    method: 'get',
    path: '/api/widget/setup',
    summary: 'The widget configuration for a page: company config, the embedded icon (`i`), custom tags and the caller’s region verdict',
    tags: ['widget'],
    auth: 'public',
    // `i` is empty when the snippet names no icon.
    query: z.object({ c: z.coerce.number().int().positive(), i: z.union([z.literal(''), iconKey]).optional() }),
    response: z.record(z.string(), z.unknown()),
    handler: async ({ query, ctx }) => {
      const config = await setup.forPage(query.c, query.i || undefined, ctx.state.ip, originOf(ctx));
      // Private: the region verdict belongs to the caller's address.
      ctx.set('Cache-Control', 'private, max-age=5');
      return config;
    },
  });
  api.route({
    method: 'get',
    path: '/api/widget/icons/:key/image',
    summary: 'The icon’s current-state image for script-less icon codes (ICON-CODE-2; cached ≤ 30 s)',
    tags: ['widget'],
    auth: 'public',
    params: z.object({ key: iconKey }),
    query: z.object({ c: z.coerce.number().int().positive() }),
    handler: async ({ params, query, ctx }) => {
      const companyId = await setup.companyOf(query.c);
      const found = await icons.byKey(companyId, params.key);
      if (!found) throw notFound('Unknown icon');
      const state = await setup.state(companyId, found.icon);
      ctx.set('Cache-Control', 'public, max-age=30');
      const img = found.icon.image;
      if (img.source === 'custom') {
        const image = await images.image(state === 'offline' ? img.offline : state === 'busy' ? (img.busy ?? img.online) : img.online);
        ctx.type = image.mime;
        ctx.set('X-Content-Type-Options', 'nosniff');
        return image.data;
      }
      const color = (await widgetSettings.read(companyId)).style.themeColor;
      ctx.type = 'image/svg+xml';
      return iconSvg(found.icon, state !== 'offline', color);
    },
  });
}
