import { z } from 'zod';
import type { KefuConfig } from '@kefu/config';
import type { ApiRouter } from '../http/api-router.ts';
import type { DependencyContainer } from '../infra/di.ts';
import type { Db } from '../infra/db.ts';
import { PluginEnablement } from '../plugins/plugin-enablement.ts';
import { PluginHost } from '../plugins/plugin-host.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import { aboutView, supportContactView } from './about-schemas.ts';
import { buildInfo, licenceText } from './build-info.ts';
import { liveNodes } from './node-heartbeat.ts';

const LICENCE_PATH = '/api/about/licence';

/** 关于, its licence text and 联系支持 (SPEC MENU-ABOUT-5, MENU-CONTACT-3). */
export function registerAboutRoutes(api: ApiRouter, c: DependencyContainer) {
  const config = c.resolve<KefuConfig>(TOKENS.Config);
  const db = c.resolve<Db>(TOKENS.Db);
  const clock = c.resolve<Clock>(TOKENS.Clock);
  const host = c.resolve(PluginHost);
  const enablement = c.resolve(PluginEnablement);
  const tags = ['about'];

  api.route({
    method: 'get',
    path: '/api/about',
    summary: 'Product, version, build commit, licence and enabled plugins; for admins the database and the running nodes (MENU-ABOUT-5)',
    tags,
    auth: 'agent',
    response: aboutView,
    handler: async ({ auth }) => {
      const build = buildInfo(config.KEFU_BUILD_COMMIT);
      const enabled = new Set(await enablement.enabledIds(auth.companyId));
      const plugins = host
        .list()
        .filter((p) => p.status === 'ok' && enabled.has(p.id))
        .map((p) => ({ id: p.id, name: p.name, version: p.version }));
      let system = null;
      if (auth.agent.role === 'admin') {
        const nodes = await liveNodes(db, clock.now());
        const builds = new Set(nodes.map((n) => `${n.version} ${n.commit}`));
        system = { database: config.DATABASE_URL ? ('postgresql' as const) : ('embedded' as const), nodes, mixedVersions: builds.size > 1 };
      }
      return {
        product: build.product,
        version: build.version,
        commit: build.commit,
        licence: { name: build.licence, url: LICENCE_PATH },
        plugins,
        system,
      };
    },
  });

  api.route({
    method: 'get',
    path: LICENCE_PATH,
    summary: 'The open-source licence text bundled with the server (MENU-ABOUT-5)',
    tags,
    auth: 'public',
    response: z.string(),
    handler: ({ ctx }) => {
      ctx.type = 'text/plain; charset=utf-8';
      return licenceText();
    },
  });

  api.route({
    method: 'get',
    path: '/api/support-contact',
    summary: 'The support contact the operator configured (KEFU_SUPPORT_URL, KEFU_SUPPORT_EMAIL, KEFU_SUPPORT_PHONE), or null (MENU-CONTACT-3)',
    tags,
    auth: 'public',
    response: supportContactView,
    handler: () => {
      const { KEFU_SUPPORT_URL: url, KEFU_SUPPORT_EMAIL: email, KEFU_SUPPORT_PHONE: phone } = config;
      return { contact: url || email || phone ? { url: url ?? null, email: email ?? null, phone: phone ?? null } : null };
    },
  });
}
