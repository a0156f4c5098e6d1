import type { RouteRecordRaw } from 'vue-router';

const routes: RouteRecordRaw[] = [
  {
    path: '/history',
    name: 'history',
    component: () => import('./HistoryPage.vue'),
    // Every agent searches the conversations visible to them (HISTORY-VISIBILITY-5); the server filters.
    meta: { titleKey: 'history.title', menu: { section: 'conversation', order: 20 } },
  },
];

export default routes;
