import { z } from 'zod';
import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { CompanyService } from '../accounts/company-service.ts';
import { CronSupervisor } from '../plugins/cron-supervisor.ts';
import { BillingService } from './billing-service.ts';
import { billingView, licenceInput, renewalContact, topupInput } from './billing-schemas.ts';
import { LicenceReminders } from './licence-reminders.ts';
import { QuotaReminders } from './quota-reminders.ts';

/** Billing and licences (SPEC BILLING §9.1): the company's read-only page, the operator's controls and the expiry and quota reminders. */
export function registerBillingRoutes(api: ApiRouter, c: DependencyContainer) {
  const billing = c.resolve(BillingService);
  const companies = c.resolve(CompanyService);
  const reminders = c.resolve(LicenceReminders);
  // Hourly is enough for day-granular thresholds; the job runs on one node at a time.
  c.resolve(CronSupervisor).schedule('core', 'licence-reminders', '0 7 * * * *', async () => void (await reminders.run()));
  // Quotas fall with every send, so they are looked at every minute.
  const quotaReminders = c.resolve(QuotaReminders);
  c.resolve(CronSupervisor).schedule('core', 'quota-reminders', '37 * * * * *', async () => void (await quotaReminders.run()));
  const companyParams = z.strictObject({ companyId: z.coerce.number().int().min(10000).max(999999999) });

  api.route({
    method: 'get',
    path: '/api/billing',
    summary: 'Seats and plugin licences of my company, their history and the renewal contact (BILLING-VIEW-1)',
    tags: ['billing'],
    auth: 'agent',
    permission: 'billing.view',
    response: billingView,
    handler: ({ auth }) => billing.view(auth.companyId),
  });

  const tags = ['operator'];
  api.route({
    method: 'get',
    path: '/api/operator/companies/:companyId/billing',
    summary: 'Operator: a company’s licences as its admins see them',
    tags,
    auth: 'operator',
    params: companyParams,
    response: billingView,
    handler: async ({ params }) => billing.view((await companies.byPublicId(params.companyId)).id),
  });
  api.route({
    method: 'put',
    path: '/api/operator/companies/:companyId/licences/:product',
    summary: 'Operator: set a company’s licence for seats or a plugin (BILLING-OPERATOR-9)',
    tags,
    auth: 'operator',
    params: companyParams.extend({ product: z.string().regex(/^[a-z][a-z0-9-]*$/) }),
    body: licenceInput,
    response: billingView,
    handler: async ({ params, body }) => {
      const company = await companies.byPublicId(params.companyId);
      await billing.setLicence(company.id, params.product, body);
      return billing.view(company.id);
    },
  });
  api.route({
    method: 'post',
    path: '/api/operator/companies/:companyId/quotas/:product/topups',
    summary: 'Operator: add units to a company’s quota product, e.g. SMS segments (BILLING-QUOTA-5)',
    tags,
    auth: 'operator',
    params: companyParams.extend({ product: z.string().regex(/^[a-z][a-z0-9-]*$/) }),
    body: topupInput,
    status: 201,
    response: billingView,
    handler: async ({ params, body }) => {
      const company = await companies.byPublicId(params.companyId);
      await billing.topUp(company.id, params.product, body.units);
      return billing.view(company.id);
    },
  });
  api.route({
    method: 'put',
    path: '/api/operator/billing/contact',
    summary: 'Operator: the renewal contact shown on every company’s billing page (BILLING-CONTACT-11); all empty hides it',
    tags,
    auth: 'operator',
    body: renewalContact,
    response: z.object({ contact: renewalContact.nullable() }),
    handler: async ({ body }) => ({ contact: await billing.setContact(body) }),
  });
}
