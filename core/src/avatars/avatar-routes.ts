import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { settingsDocumentRoutes } from '../http/settings-document-routes.ts';
import { idParams } from '../accounts/agent-schemas.ts';
import { WidgetSetup } from '../icons/widget-setup.ts';
import { avatarKey, avatarSettingsSchema } from './avatar-schema.ts';
import { AvatarService } from './avatar-service.ts';
import { avatarUrl } from './avatar-url.ts';

const profileAvatar = z.object({ avatarUrl: z.string().nullable() });
const multipart = 'multipart/form-data with one image in the field `file` (PNG, JPEG, GIF or WebP, ≤ 200 KB, ≥ 64×64; AVATAR-UPLOAD-2)';

/** Window avatar settings (AVATAR §7.1.6), profile pictures (PROFILE-AVATAR-4) and the public images. */
export function registerAvatarRoutes(api: ApiRouter, c: DependencyContainer) {
  const avatars = c.resolve(AvatarService);
  const setup = c.resolve(WidgetSetup);
  const manage = { tags: ['settings'], auth: 'agent' as const, permission: 'settings.manage' };

  settingsDocumentRoutes(api, {
    path: '/api/settings/avatars',
    what: '窗口头像设置 (AVATAR-SWITCH-1)',
    schema: avatarSettingsSchema,
    service: avatars,
    extra: { urls: z.record(z.string(), z.string().nullable()) },
    present: (doc) => ({ urls: urlsOf(doc.settings) }),
  });
  api.route({
    ...manage,
    method: 'post',
    path: '/api/settings/avatars/images',
    summary: `Upload a custom agent, visitor or robot avatar; save its key in the settings (${multipart})`,
    status: 201,
    response: z.object({ key: avatarKey, url: z.string() }),
    handler: async ({ auth, ctx }) => {
      const key = await avatars.upload(ctx.req, auth.companyId);
      return { key, url: avatarUrl(key)! };
    },
  });

  api.route({
    method: 'post',
    path: '/api/profile/avatar',
    summary: `Set my profile picture (PROFILE-AVATAR-4; ${multipart})`,
    tags: ['profile'],
    auth: 'agent',
    permission: 'profile.edit',
    response: profileAvatar,
    handler: ({ auth, ctx }) => avatars.setProfile(auth, ctx.req),
  });
  api.route({
    method: 'delete',
    path: '/api/profile/avatar',
    summary: 'Remove my profile picture: initials on the theme colour are shown instead (PROFILE-AVATAR-4)',
    tags: ['profile'],
    auth: 'agent',
    permission: 'profile.edit',
    response: profileAvatar,
    handler: ({ auth }) => avatars.removeProfile(auth),
  });

  api.route({
    method: 'get',
    path: '/avatars/:key',
    summary: 'An avatar image, 96×96 WebP; a new upload gets a new address, so it is cached for good',
    tags: ['widget'],
    auth: 'public',
    params: z.object({ key: avatarKey }),
    handler: async ({ params, ctx }) => {
      const data = await avatars.image(params.key);
      ctx.type = 'image/webp';
      ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
      ctx.set('X-Content-Type-Options', 'nosniff');
      return data;
    },
  });
  api.route({
    method: 'get',
    path: '/api/widget/agents/:id/avatar',
    summary: 'The serving agent’s name and picture for the chat window while avatars are on (AVATAR-RENDER-3); 404 while off',
    tags: ['widget'],
    auth: 'public',
    params: idParams,
    query: z.object({ c: z.coerce.number().int().positive() }),
    response: z.object({ name: z.string(), url: z.string().nullable() }),
    handler: async ({ params, query, ctx }) => {
      const r = await avatars.agentForVisitor(await setup.companyOf(query.c), params.id);
      ctx.set('Cache-Control', 'public, max-age=5');
      return r;
    },
  });
}

const urlsOf = (s: { agent: { image: string | null }; visitor: { image: string | null }; robot: { image: string | null } }) => ({
  agent: avatarUrl(s.agent.image),
  visitor: avatarUrl(s.visitor.image),
  robot: avatarUrl(s.robot.image),
});
