import type { RouteRecordRaw } from 'vue-router';

const routes: RouteRecordRaw[] = [
  {
    path: '/leave-messages',
    name: 'leave-messages',
    component: () => import('./LeaveMessagesPage.vue'),
    // Every agent sees the leave-messages visible to them (LEAVEMSG-VISIBILITY-3); the server filters.
    meta: { titleKey: 'shell.pages.leaveMessages', menu: { section: 'conversation', order: 30 } },
  },
];

export default routes;
