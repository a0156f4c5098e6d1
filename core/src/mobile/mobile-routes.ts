import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { settingsDocumentRoutes } from '../http/settings-document-routes.ts';
import { idParams } from '../accounts/agent-schemas.ts';
import { originOf } from '../icons/icon-routes.ts';
import { WidgetSetup } from '../icons/widget-setup.ts';
import { LANGS } from '../settings/widget-defaults.ts';
import { mobileSettingsSchema } from './mobile-schema.ts';
import { MobileService } from './mobile-service.ts';

const langQuery = z.object({ lang: z.enum(LANGS).optional() });

/** 手机对话窗口 settings (MOBILE §7.1.5) and the hosted chat page with its QR code (MOBILE-LINK-4). */
export function registerMobileRoutes(api: ApiRouter, c: DependencyContainer) {
  const mobile = c.resolve(MobileService);
  const setup = c.resolve(WidgetSetup);

  settingsDocumentRoutes(api, {
    path: '/api/settings/mobile',
    what: '手机对话窗口 settings (MOBILE-SWITCH-1, MOBILE-ICON-2, MOBILE-WINDOW-3)',
    schema: mobileSettingsSchema,
    service: mobile,
  });
  api.route({
    method: 'get',
    path: '/api/icons/:id/chat-link',
    summary: 'An icon’s hosted chat page address and its QR code as SVG (MOBILE-LINK-4; 获取代码 widget.code is enough)',
    tags: ['icons'],
    auth: 'agent',
    permission: 'widget.code',
    params: idParams,
    query: langQuery,
    response: z.object({ url: z.string(), qrSvg: z.string() }),
    handler: async ({ auth, params, query, ctx }) => {
      const url = await mobile.iconLink(auth.tenant, params.id, originOf(ctx), auth.companyPublicId, query.lang);
      return { url, qrSvg: await mobile.qr(url) };
    },
  });

  const page = (withIcon: boolean) =>
    api.route({
      method: 'get',
      path: withIcon ? '/chat/:c/:key' : '/chat/:c',
      summary: withIcon
        ? 'The hosted chat page of an icon: the chat window full screen, the icon’s binding applied (MOBILE-LINK-4); `?lang=`'
        : 'The company’s hosted chat page without an icon (MOBILE-LINK-4); `?lang=`',
      tags: ['widget'],
      auth: 'public',
      params: z.object({
        c: z.coerce.number().int().positive(),
        key: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,64}$/)
          .optional(),
      }),
      query: langQuery.passthrough(),
      handler: async ({ params, query, ctx }) => {
        const html = await mobile.page(await setup.companyOf(params.c), params.c, params.key, query.lang);
        ctx.type = 'html';
        ctx.set('Cache-Control', 'no-cache');
        return html;
      },
    });
  page(false);
  page(true);
}
