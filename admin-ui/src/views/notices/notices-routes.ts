import type { RouteRecordRaw } from 'vue-router';

const routes: RouteRecordRaw[] = [
  {
    path: '/notices',
    name: 'notices',
    component: () => import('./NoticesPage.vue'),
    // Every agent reads the notices sent to them (NOTICE-LIST-6); publishing needs notice.publish.
    meta: { titleKey: 'shell.pages.notices', menu: { section: 'collaboration', order: 40 } },
  },
];

export default routes;
