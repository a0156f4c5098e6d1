import type { RouteRecordRaw } from 'vue-router';

const routes: RouteRecordRaw[] = [
  {
    path: '/login-log',
    name: 'login-log',
    component: () => import('./LoginLogPage.vue'),
    meta: { titleKey: 'shell.pages.loginLog', permission: 'loginlog.view', menu: { section: 'collaboration', order: 30 } },
  },
];

export default routes;
