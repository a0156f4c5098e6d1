import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { CompanyService, companyView, LOGO_MAX_BYTES, updateCompanyBody } from './company-service.ts';

export function registerCompanyRoutes(api: ApiRouter, c: DependencyContainer) {
  const companies = c.resolve(CompanyService);
  api.route({
    method: 'get',
    path: '/api/company',
    summary: 'Company information (COMPANY-VIEW-1)',
    tags: ['company'],
    auth: 'agent',
    response: companyView,
    handler: ({ auth }) => companies.view(auth.tenant),
  });
  api.route({
    method: 'patch',
    path: '/api/company',
    summary: 'Edit company information, admins only (COMPANY-EDIT-3); a new e-mail waits for its confirmation link when a mail server is set (COMPANY-EMAIL-5)',
    tags: ['company'],
    auth: 'agent',
    permission: 'admin',
    body: updateCompanyBody,
    response: companyView,
    handler: ({ body, auth }) => companies.update(auth.tenant, auth.agent.id, body),
  });
  api.route({
    method: 'post',
    path: '/api/company/email/confirm',
    summary: 'Open the confirmation link of a new company e-mail (COMPANY-EMAIL-5); spent or expired → 410 email_link_invalid',
    tags: ['company'],
    auth: 'public',
    body: z.strictObject({ token: z.string().min(20).max(200) }),
    response: z.object({ publicId: z.number() }),
    handler: ({ body }) => companies.confirmEmail(body.token),
  });
  api.route({
    method: 'post',
    path: '/api/company/logo',
    summary: `Upload the company logo, admins only (COMPANY-LOGO-6; multipart field \`file\`, PNG, JPEG, GIF or WebP, ≤ ${LOGO_MAX_BYTES / 1024} KB)`,
    tags: ['company'],
    auth: 'agent',
    permission: 'admin',
    response: companyView,
    handler: ({ auth, ctx }) => companies.setLogo(auth.tenant, auth.agent.id, ctx.req),
  });
  api.route({
    method: 'delete',
    path: '/api/company/logo',
    summary: 'Remove the company logo; the Kefu mark is shown again (COMPANY-LOGO-6)',
    tags: ['company'],
    auth: 'agent',
    permission: 'admin',
    response: companyView,
    handler: ({ auth }) => companies.removeLogo(auth.tenant, auth.agent.id),
  });
  api.route({
    method: 'get',
    path: '/company-logos/:key',
    summary: 'The company logo; a new upload gets a new address, so it is cached for good',
    tags: ['company'],
    auth: 'public',
    params: z.object({ key: z.string().regex(/^[A-Za-z0-9_-]{22,64}$/) }),
    handler: async ({ params, ctx }) => {
      const image = await companies.logo(params.key);
      ctx.type = image.mime;
      ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
      ctx.set('X-Content-Type-Options', 'nosniff');
      return image.data;
    },
  });
}
