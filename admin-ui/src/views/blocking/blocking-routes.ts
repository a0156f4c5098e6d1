import type { RouteRecordRaw } from 'vue-router';

const routes: RouteRecordRaw[] = [
  {
    // 显示设置 › 访客阻止 (DISPLAY-BLOCKLIST-10); only for admins and `visitor.block` holders (DISPLAY-BLOCKPERM-9).
    path: '/settings/blocking',
    name: 'blocking',
    component: () => import('./BlockingPage.vue'),
    meta: { titleKey: 'blocking.title', permission: 'visitor.block', menu: { section: 'config', order: 55 } },
  },
];

export default routes;
