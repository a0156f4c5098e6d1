import type { RouteRecordRaw } from 'vue-router';

const routes: RouteRecordRaw[] = [
  {
    path: '/company',
    name: 'company',
    component: () => import('./CompanyPage.vue'),
    // Everyone reads it; the page itself offers the form to administrators only (SPEC COMPANY-VIEW-1).
    meta: { titleKey: 'shell.pages.company', menu: { section: 'user', order: 20 } },
  },
];

export default routes;
