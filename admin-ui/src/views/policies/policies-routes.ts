import type { RouteRecordRaw } from 'vue-router';

const routes: RouteRecordRaw[] = [
  {
    path: '/settings/conversation',
    name: 'settings-conversation',
    component: () => import('./PoliciesPage.vue'),
    // A 配置管理 screen of chapter 七 like the others (SPEC STYLE-MENU-1).
    meta: { titleKey: 'policies.title', permission: 'settings.manage', menu: { section: 'config', order: 40 } },
  },
];

export default routes;
