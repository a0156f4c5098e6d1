import type { RouteRecordRaw } from 'vue-router';

const routes: RouteRecordRaw[] = [
  {
    // Any agent may submit feedback (SPEC FEEDBACK-SUBMIT-1).
    path: '/feedback',
    name: 'feedback',
    component: () => import('./FeedbackPage.vue'),
    meta: { titleKey: 'feedback.title', menu: { section: 'user', order: 50 } },
  },
];

export default routes;
