import type { RouteRecordRaw } from 'vue-router';

const routes: RouteRecordRaw[] = [
  {
    path: '/settings/plugins',
    name: 'plugins',
    component: () => import('./PluginsPage.vue'),
    // Plugins and licences are an administrator ability no permission grants (SPEC AGENT-ROLE-9).
    meta: { titleKey: 'shell.pages.plugins', adminOnly: true, menu: { section: 'user', order: 30 } },
  },
];

export default routes;
