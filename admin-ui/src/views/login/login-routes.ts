import type { RouteRecordRaw } from 'vue-router';
import { ROUTE } from '@/router/route-names';

const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: ROUTE.login,
    component: () => import('./LoginPage.vue'),
    meta: { public: true, titleKey: 'login.title' },
  },
];

export default routes;
