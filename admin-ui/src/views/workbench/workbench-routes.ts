import type { RouteRecordRaw } from 'vue-router';

const routes: RouteRecordRaw[] = [
  {
    path: '/workbench',
    name: 'workbench',
    component: () => import('./WorkbenchPage.vue'),
    meta: {
      titleKey: 'shell.pages.workbench',
      // Agents who take chats or monitor colleagues live here (SPEC MAIN-LANDING-2).
      permission: ['conversation.accept', 'conversation.monitor'],
      menu: { section: 'conversation', order: 10 },
    },
  },
];

export default routes;
