import type { RouteRecordRaw } from 'vue-router';

const routes: RouteRecordRaw[] = [
  {
    path: '/register',
    name: 'register',
    component: () => import('./RegisterPage.vue'),
    meta: { public: true, titleKey: 'signup.title' },
  },
];

export default routes;
