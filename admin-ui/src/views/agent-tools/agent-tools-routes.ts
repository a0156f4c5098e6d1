import type { RouteRecordRaw } from 'vue-router';

const routes: RouteRecordRaw[] = [
  {
    path: '/agent-tools',
    name: 'agent-tools',
    component: () => import('./AgentToolsPage.vue'),
    // Every agent keeps personal lists (CHATSET-PERMS-14); company lists and topics check their own permissions.
    meta: { titleKey: 'agentTools.title', menu: { section: 'user', order: 25 } },
  },
];

export default routes;
