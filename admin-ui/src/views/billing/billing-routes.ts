import type { RouteRecordRaw } from 'vue-router';

const routes: RouteRecordRaw[] = [
  {
    path: '/billing',
    name: 'billing',
    component: () => import('./BillingPage.vue'),
    meta: { titleKey: 'billing.title', permission: 'billing.view', menu: { section: 'user', order: 40 } },
  },
];

export default routes;
