import type { RouteRecordRaw } from 'vue-router';

const routes: RouteRecordRaw[] = [
  {
    path: '/groups',
    name: 'groups',
    component: () => import('./GroupsPage.vue'),
    meta: { titleKey: 'shell.pages.groups', permission: 'groups.manage', menu: { section: 'collaboration', order: 20 } },
  },
];

export default routes;
