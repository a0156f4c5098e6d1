import type { RouteRecordRaw } from 'vue-router';

const routes: RouteRecordRaw[] = [
  {
    path: '/settings/login-ip',
    name: 'login-ip',
    component: () => import('./LoginIpPage.vue'),
    meta: { titleKey: 'shell.pages.loginIp', permission: 'settings.loginIp', menu: { section: 'config', order: 50 } },
  },
];

export default routes;
