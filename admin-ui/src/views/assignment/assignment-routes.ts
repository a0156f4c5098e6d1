import type { RouteRecordRaw } from 'vue-router';

const routes: RouteRecordRaw[] = [
  {
    path: '/settings/assignment',
    name: 'settings-assignment',
    component: () => import('./AssignmentPage.vue'),
    // Only admins and assign.manage holders open it (ASSIGN-SCREEN-16).
    meta: { titleKey: 'assignment.title', permission: 'assign.manage', menu: { section: 'collaboration', order: 40 } },
  },
];

export default routes;
