import type { RouteRecordRaw } from 'vue-router';
import { ROUTE } from '@/router/route-names';

/** Screens of the frame itself: the start redirect, restricted sessions and unknown addresses. */
const routes: RouteRecordRaw[] = [
  // The guard sends `/` to the agent's start page; this component never shows.
  { path: '', name: ROUTE.home, component: { render: () => null } },
  {
    path: '/restricted',
    name: ROUTE.restricted,
    component: () => import('./RestrictedPage.vue'),
    meta: { titleKey: 'shell.pages.restricted' },
  },
  {
    path: '/:pathMatch(.*)*',
    name: ROUTE.notFound,
    component: () => import('./NotFoundPage.vue'),
    meta: { titleKey: 'shell.pages.notFound' },
  },
];

export default routes;
