import { z, type ZodType } from 'zod';
import type { AuthInfo } from '../auth/auth-info.ts';
import type { Tenant } from '../tenancy/tenant.ts';
import type { ApiRouter } from './api-router.ts';

/** A versioned settings document as it is read and saved (see icons/section-store.ts). */
export interface SettingsDocument<T> {
  version: number;
  settings: T;
  updatedAt: string | null;
  updatedBy: number | null;
}

export interface SettingsDocumentService<T> {
  get(t: Tenant): Promise<SettingsDocument<T>>;
  put(auth: AuthInfo, input: { version: number; settings: T }): Promise<SettingsDocument<T>>;
}

/**
 * GET and PUT of one settings document: the same shapes, the same optimistic
 * `version` rule (0 before the first save, stale → 409 settings_changed) and
 * the same OpenAPI entries for every settings screen.
 */
export function settingsDocumentRoutes<S extends ZodType>(
  api: ApiRouter,
  o: {
    path: string;
    what: string;
    schema: S;
    service: SettingsDocumentService<z.output<S>>;
    permission?: string;
    tags?: string[];
    /** What else a save may refuse, for the OpenAPI summary. */
    saveRules?: string;
    /** Fields a screen gets beside the document (e.g. image addresses), added by `present`. */
    extra?: z.ZodRawShape;
    present?: (doc: SettingsDocument<z.output<S>>) => object;
  },
) {
  const response = z.object({ version: z.number(), settings: o.schema, updatedAt: z.string().nullable(), updatedBy: z.number().nullable(), ...o.extra });
  const present = (doc: SettingsDocument<z.output<S>>) => (o.present ? { ...doc, ...o.present(doc) } : doc);
  const common = { path: o.path, tags: o.tags ?? ['settings'], auth: 'agent' as const, permission: o.permission ?? 'settings.manage', response };
  api.route({ ...common, method: 'get', summary: o.what, handler: async ({ auth }) => present(await o.service.get(auth.tenant)) });
  api.route({
    ...common,
    method: 'put',
    summary: `Save: ${o.what}; \`version\` is the one read (0 before the first save), stale → 409 settings_changed${o.saveRules ? `; ${o.saveRules}` : ''}`,
    body: z.strictObject({ version: z.number().int().min(0), settings: o.schema }),
    handler: async ({ body, auth }) => present(await o.service.put(auth, body as { version: number; settings: z.output<S> })),
  });
}
