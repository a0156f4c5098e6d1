import type { RouteRecordRaw } from 'vue-router';

const routes: RouteRecordRaw[] = [
  {
    path: '/settings/assignment',
    name: 'settings-assignment',
    component: () => import('./AssignmentPage.vue'),
    // Only admins and assign.manage holders open it (ASSIGN-SCREEN-16).
    meta: { titleKey: 'assignment.title', permission: 'assign.manage', menu: { section: 'collaboration', order: 40 } },
  },
  {
    path: '/assignment/queue',
    name: 'queue-dashboard',
    component: () => import('./QueueDashboardPage.vue'),
    // 排队监控 is for admins and assign.manage holders (ASSIGN-DASHBOARD-17).
    meta: { titleKey: 'assignment.dashboard.title', permission: 'assign.manage', menu: { section: 'collaboration', order: 41 } },
  },
];

export default routes;
