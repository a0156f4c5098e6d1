import type { DependencyContainer } from '../infra/di.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { PreferenceService } from './preference-service.ts';
import { preferencesPatch, preferencesView, resetBody } from './preference-schemas.ts';

/** Personal display and other settings (SPEC DISPLAY-SETTINGS-1, OTHERSET §10.1.3). */
export function registerPreferenceRoutes(api: ApiRouter, c: DependencyContainer) {
  const prefs = c.resolve(PreferenceService);
  const tags = ['preferences'];
  api.route({
    method: 'get',
    path: '/api/preferences',
    summary: 'My personal settings, completed from the defaults',
    tags,
    auth: 'agent',
    response: preferencesView,
    handler: ({ auth }) => prefs.get(auth),
  });
  api.route({
    method: 'patch',
    path: '/api/preferences',
    summary: 'Change some of my settings; all my consoles get preferences.changed',
    tags,
    auth: 'agent',
    body: preferencesPatch,
    response: preferencesView,
    handler: ({ body, auth }) => prefs.patch(auth, body),
  });
  api.route({
    method: 'post',
    path: '/api/preferences/reset',
    summary: 'Restore one section’s defaults (恢复默认设置)',
    tags,
    auth: 'agent',
    body: resetBody,
    response: preferencesView,
    handler: ({ body, auth }) => prefs.reset(auth, body.section),
  });
}
