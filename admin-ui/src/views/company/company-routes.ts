import type { RouteRecordRaw } from 'vue-router';

const routes: RouteRecordRaw[] = [
  {
    path: '/company',
    name: 'company',
    component: () => import('./CompanyPage.vue'),
    // Everyone reads it; the page itself offers the form to administrators only (SPEC COMPANY-VIEW-1).
    meta: { titleKey: 'shell.pages.company', menu: { section: 'user', order: 20 } },
  },
  {
    // The link of COMPANY-EMAIL-5 lands here; whoever reads that mailbox need not be signed in.
    path: '/confirm-company-email',
    name: 'confirm-company-email',
    component: () => import('./ConfirmEmailPage.vue'),
    meta: { public: true, titleKey: 'company.confirm.title' },
  },
];

export default routes;
