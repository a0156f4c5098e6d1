import type { RouteRecordRaw } from 'vue-router';
import { ROUTE } from '@/router/route-names';

const routes: RouteRecordRaw[] = [
  {
    path: '/profile',
    name: 'profile',
    component: () => import('./ProfilePage.vue'),
    meta: { titleKey: 'shell.pages.profile', menu: { section: 'user', order: 10 } },
  },
  {
    // The only screen of a session that must change a password set by someone else (SPEC LOGIN-FIRSTPW-15).
    path: '/change-password',
    name: ROUTE.changePassword,
    component: () => import('./ChangePasswordPage.vue'),
    meta: { titleKey: 'shell.pages.changePassword' },
  },
];

export default routes;
