import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { KefuConfig } from '@kefu/config';
import type { ApiRouter } from '../http/api-router.ts';
import { conflict } from '../http/errors.ts';
import { CompanyService } from '../accounts/company-service.ts';
import { TOKENS } from '../tokens.ts';
import { PluginEnablement } from './plugin-enablement.ts';
import { PluginHost } from './plugin-host.ts';

const i18n = z.object({ 'zh-CN': z.string(), en: z.string() }).catchall(z.string());
const pluginView = z.object({
  id: z.string(),
  version: z.string(),
  name: i18n,
  description: i18n,
  requires: z.array(z.string()),
  status: z.enum(['ok', 'failed', 'uninstalled']),
  error: z.string().nullable(),
  enabled: z.boolean(),
  startsOn: z.string().nullable(),
  expiresOn: z.string().nullable(),
  quantity: z.number().nullable(),
});
const dateStr = z.iso.date().nullable().optional();
const licenceBody = z
  .strictObject({ startsOn: dateStr, expiresOn: dateStr, quantity: z.number().int().min(0).nullable().optional() })
  .refine((b) => !b.startsOn || !b.expiresOn || b.expiresOn >= b.startsOn, {
    path: ['expiresOn'],
    message: 'Expiry is before the start',
    params: { code: 'expiry_before_start' },
  });
const pluginParams = z.strictObject({ id: z.string().regex(/^[a-z][a-z0-9-]*$/) });

export function registerPluginRoutes(api: ApiRouter, c: DependencyContainer) {
  const host = c.resolve(PluginHost);
  const enablement = c.resolve(PluginEnablement);
  const companies = c.resolve(CompanyService);
  const config = c.resolve<KefuConfig>(TOKENS.Config);

  const describe = async (companyId: number) => {
    const lic = await enablement.load(companyId);
    return host.list().map((p) => {
      const l = lic.get(p.id);
      return {
        ...p,
        enabled: !!l && p.status === 'ok' && enablement.isActive(l),
        startsOn: l?.startsOn ?? null,
        expiresOn: l?.expiresOn ?? null,
        quantity: l?.quantity ?? null,
      };
    });
  };
  const assertOpen = () => {
    if (config.KEFU_LICENCE_MODE === 'managed') throw conflict('licence_managed', 'Licences on this server are managed by the operator');
  };

  api.route({
    method: 'get',
    path: '/api/plugins',
    summary: 'Installed plugins and this company’s licences',
    tags: ['plugins'],
    auth: 'agent',
    permission: 'admin',
    response: z.object({ items: z.array(pluginView), mode: z.enum(['open', 'managed']) }),
    handler: async ({ auth }) => ({ items: await describe(auth.companyId), mode: config.KEFU_LICENCE_MODE }),
  });
  api.route({
    method: 'post',
    path: '/api/plugins/:id/enable',
    summary: 'Enable a plugin for this company (takes effect at once, on every node)',
    tags: ['plugins'],
    auth: 'agent',
    permission: 'admin',
    params: pluginParams,
    body: licenceBody,
    handler: async ({ params, body, auth }) => {
      assertOpen();
      await host.enable(auth.companyId, params.id, body, `agent:${auth.agent.id}`);
      return { items: await describe(auth.companyId) };
    },
  });
  api.route({
    method: 'post',
    path: '/api/plugins/:id/disable',
    summary: 'Disable a plugin for this company (its data is kept)',
    tags: ['plugins'],
    auth: 'agent',
    permission: 'admin',
    params: pluginParams,
    handler: async ({ params, auth }) => {
      assertOpen();
      await host.disable(auth.companyId, params.id, `agent:${auth.agent.id}`);
      return { items: await describe(auth.companyId) };
    },
  });

  const operatorParams = z.strictObject({ companyId: z.coerce.number().int().min(10000).max(999999999), id: pluginParams.shape.id });
  api.route({
    method: 'put',
    path: '/api/operator/companies/:companyId/plugins/:id',
    summary: 'Operator: set a company’s licence for a plugin (BILLING-OPERATOR-9)',
    tags: ['operator'],
    auth: 'operator',
    params: operatorParams,
    body: z.strictObject({ enabled: z.boolean() }).and(licenceBody),
    handler: async ({ params, body }) => {
      const company = await companies.byPublicId(params.companyId);
      const { enabled, ...licence } = body;
      if (enabled) await host.enable(company.id, params.id, licence, 'operator');
      else await host.disable(company.id, params.id, 'operator');
      return { items: await describe(company.id) };
    },
  });
  api.route({
    method: 'post',
    path: '/api/operator/plugins/:id/uninstall',
    summary: 'Operator: uninstall a plugin (rolls back its migrations)',
    tags: ['operator'],
    auth: 'operator',
    params: pluginParams,
    handler: async ({ params }) => {
      await host.uninstall(params.id);
      return { ok: true };
    },
  });
}
