import type { RouteRecordRaw } from 'vue-router';

const routes: RouteRecordRaw[] = [
  {
    path: '/agents',
    name: 'agents',
    component: () => import('./AgentsPage.vue'),
    meta: { titleKey: 'shell.pages.agents', permission: 'agents.manage', menu: { section: 'collaboration', order: 10 } },
  },
];

export default routes;
