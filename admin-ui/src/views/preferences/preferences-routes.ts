import type { RouteRecordRaw } from 'vue-router';

const routes: RouteRecordRaw[] = [
  {
    // Personal settings (SPEC DISPLAY-SETTINGS-1); every agent has them.
    path: '/preferences',
    name: 'preferences',
    component: () => import('./PreferencesPage.vue'),
    meta: { titleKey: 'preferences.title', menu: { section: 'user', order: 20 } },
  },
];

export default routes;
