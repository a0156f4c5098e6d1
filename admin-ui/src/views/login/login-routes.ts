import type { RouteRecordRaw } from 'vue-router';
import { ROUTE } from '@/router/route-names';

const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: ROUTE.login,
    component: () => import('./LoginPage.vue'),
    meta: { public: true, titleKey: 'login.title' },
  },
  {
    path: '/forgot-password',
    name: 'forgot-password',
    component: () => import('./ForgotPasswordPage.vue'),
    meta: { public: true, titleKey: 'login.forgot.title' },
  },
  {
    path: '/reset-password',
    name: 'reset-password',
    component: () => import('./ResetPasswordPage.vue'),
    meta: { public: true, titleKey: 'login.reset.title' },
  },
];

export default routes;
