import type { PluginContext } from '@kefu/core/plugin';
import type { BindingService } from './binding-service.ts';
import type { ManageService } from './manage-service.ts';
import type { OtpStore } from './otp-store.ts';
import {
  agentParams,
  bindStartBody,
  bindStartView,
  confirmBody,
  confirmView,
  exportQuery,
  operatorResetBody,
  overviewQuery,
  passwordAndCode,
  recoveryView,
  resetBody,
  settingsPatch,
  settingsView,
  statusView,
} from './otp-schemas.ts';

/** Answers holding a secret or recovery codes must not be kept by browsers or proxies. */
function noStore<T>(koa: { set(field: string, value: string): void }, result: Promise<T>): Promise<T> {
  koa.set('Cache-Control', 'no-store');
  return result;
}

/** Routes under /api/p/otp. Own-binding routes work in a binding-only session (OTP-POLICY-9). */
export function registerOtpRoutes(ctx: PluginContext, store: OtpStore, binding: BindingService, manage: ManageService) {
  const http = ctx.http;
  const own = { auth: 'agent', allowRestricted: true } as const;

  http.route({
    method: 'get',
    path: '/status',
    summary: 'My dynamic password: state, recovery codes left, company policy',
    ...own,
    response: statusView,
    handler: ({ auth }) => binding.status(auth),
  });
  http.route({
    method: 'post',
    path: '/bind/start',
    summary: 'Start binding (OTP-BIND-2): new secret, otpauth URI and QR code',
    ...own,
    body: bindStartBody,
    response: bindStartView,
    handler: ({ auth, body, ctx: koa }) => noStore(koa, binding.start(auth, body)),
  });
  http.route({
    method: 'post',
    path: '/bind/confirm',
    summary: 'Confirm binding with a current code (OTP-CONFIRM-3); returns the recovery codes once',
    ...own,
    body: confirmBody,
    response: confirmView,
    handler: ({ auth, body, ctx: koa }) => noStore(koa, binding.confirm(auth, body.code)),
  });
  http.route({
    method: 'post',
    path: '/unbind',
    summary: 'Remove my binding with password and a code (OTP-UNBIND-8)',
    ...own,
    body: passwordAndCode,
    handler: ({ auth, body }) => binding.unbind(auth, body),
  });
  http.route({
    method: 'post',
    path: '/recovery/regenerate',
    summary: 'New recovery codes; the old set stops working (OTP-RECOVERY-7)',
    ...own,
    body: passwordAndCode,
    response: recoveryView,
    handler: ({ auth, body, ctx: koa }) => noStore(koa, binding.regenerate(auth, body)),
  });

  http.route({
    method: 'get',
    path: '/policy',
    summary: 'Company dynamic-password settings (OTP-POLICY-9)',
    auth: 'agent',
    permission: 'otp.manage',
    response: settingsView,
    handler: ({ auth }) => store.settings(auth.companyId),
  });
  http.route({
    method: 'put',
    path: '/policy',
    summary: 'Save who must use a dynamic password, the issuer and the drift window',
    auth: 'agent',
    permission: 'otp.manage',
    body: settingsPatch,
    response: settingsView,
    handler: ({ auth, body }) => manage.updateSettings(auth, body),
  });
  http.route({
    method: 'get',
    path: '/bindings',
    summary: 'Binding overview of every agent (OTP-OVERVIEW-11)',
    auth: 'agent',
    permission: 'otp.manage',
    query: overviewQuery,
    handler: ({ auth, query }) => manage.overview(auth.companyId, query),
  });
  http.route({
    method: 'get',
    path: '/bindings/export',
    summary: 'Binding overview as CSV',
    auth: 'agent',
    permission: 'otp.manage',
    query: exportQuery,
    handler: async ({ auth, query, ctx: koa }) => {
      const csv = await manage.exportCsv(auth.companyId, query.state);
      koa.type = 'text/csv; charset=utf-8';
      koa.set('Content-Disposition', 'attachment; filename="otp-bindings.csv"');
      return csv;
    },
  });
  http.route({
    method: 'post',
    path: '/bindings/:agentId/reset',
    summary: 'Reset an agent’s binding (lost phone) and end their sessions (OTP-RESET-10)',
    auth: 'agent',
    permission: 'otp.manage',
    params: agentParams,
    body: resetBody,
    handler: ({ auth, params, body }) => manage.reset(auth, params.agentId, body.password),
  });
  http.route({
    method: 'post',
    path: '/operator/reset',
    summary: 'Operator: reset any agent’s binding (OTP-RESET-10)',
    auth: 'operator',
    body: operatorResetBody,
    handler: ({ body }) => manage.operatorReset(body.companyId, body.agentId),
  });
}
