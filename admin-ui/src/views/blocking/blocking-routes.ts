import type { RouteRecordRaw } from 'vue-router';

const routes: RouteRecordRaw[] = [
  {
    // 显示设置 › 访客阻止 (DISPLAY-BLOCKLIST-10); only for admins and `visitor.block` holders (DISPLAY-BLOCKPERM-9).
    path: '/settings/blocking',
    name: 'blocking',
    component: () => import('./BlockingPage.vue'),
    meta: { titleKey: 'blocking.title', permission: 'visitor.block', menu: { section: 'config', order: 55 } },
  },
  {
    // 显示设置 › 电话回拨阻止 (DISPLAY-PHONEBLOCK-16): admins and `phone.block` holders, while a plugin uses the blacklist.
    path: '/settings/phone-blocking',
    name: 'phone-blocking',
    component: () => import('./PhoneBlockingPage.vue'),
    meta: { titleKey: 'blocking.phone.title', permission: 'phone.block', listed: true, menu: { section: 'config', order: 56 } },
  },
];

export default routes;
