/**
 * Core's public plugin API (`@kefu/core/plugin`): the only module plugins import from core.
 * Extend the hook maps by declaration merging on this module:
 *   declare module '@kefu/core/plugin' { interface ActionHooks { 'sms.sent': {...} } }
 */
export { definePlugin } from '../plugins/plugin-types.ts';
export type { PluginContext, PluginDefinition, PluginManifest, I18nText, SocketCaller, SocketEventSpec } from '../plugins/plugin-types.ts';
export type {
  ActionHooks,
  FilterHooks,
  Halt,
  HookContext,
  Actor,
  BeforeLoginValue,
  VerifyChallengeValue,
  LoginAgentRef,
  PrechatExtraField,
  WidgetConfigValue,
} from '../hooks/hook-types.ts';
export { PRECHAT_EXTRA_LIMIT, prechatFieldLimit } from '../settings/prechat-extras.ts';
export type { FilterHandler, ActionHandler, HookOptions } from '../hooks/hook-registry.ts';
export type { ApiRouter, RouteSpec } from '../http/api-router.ts';
export type { AuthInfo } from '../auth/auth-info.ts';
export type { Tenant } from '../tenancy/tenant.ts';
export { AppError, validationFailed, fieldError, unauthorized, forbidden, forbiddenCode, notFound, conflict, rateLimited } from '../http/errors.ts';
export type { FieldProblem } from '../http/errors.ts';
export { readTable, writeTable, unguardCell, tableMime, type TableFormat } from '../infra/table-files.ts';
export { normalizePhone } from '../blocking/phone-number.ts';
