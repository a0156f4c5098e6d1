import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { CompanyService, companyView, updateCompanyBody } from './company-service.ts';

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
    summary: 'Edit company information, admins only (COMPANY-EDIT-3)',
    tags: ['company'],
    auth: 'agent',
    permission: 'admin',
    body: updateCompanyBody,
    response: companyView,
    handler: ({ body, auth }) => companies.update(auth.tenant, auth.agent.id, body),
  });
}
