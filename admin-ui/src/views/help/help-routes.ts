import type { RouteRecordRaw } from 'vue-router';

/** The user guide is public: the login page's screens and the support page must open without a session (MENU-HELP-4). */
const routes: RouteRecordRaw[] = [
  {
    path: '/help/:page?',
    name: 'help',
    component: () => import('./HelpPage.vue'),
    meta: { public: true, offline: true, titleKey: 'help.guide.title' },
  },
];

export default routes;
