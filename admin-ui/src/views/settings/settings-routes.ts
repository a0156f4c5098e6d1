import type { RouteRecordRaw } from 'vue-router';

/** 配置管理 screens of chapter 七 (SPEC STYLE-MENU-1): all need 配置管理. */
const permission = 'settings.manage';

const routes: RouteRecordRaw[] = [
  {
    path: '/settings/chat-window',
    name: 'settings-chat-window',
    component: () => import('./ChatWindowPage.vue'),
    meta: { titleKey: 'shell.pages.chatSettings', permission, menu: { section: 'config', order: 10 } },
  },
  {
    path: '/settings/prechat',
    name: 'settings-prechat',
    component: () => import('./PrechatPage.vue'),
    meta: { titleKey: 'shell.pages.prechatSettings', permission, menu: { section: 'config', order: 30 } },
  },
  {
    path: '/settings/leave-message',
    name: 'settings-leave-message',
    component: () => import('./LeaveSettingsPage.vue'),
    meta: { titleKey: 'shell.pages.leaveSettings', permission, menu: { section: 'config', order: 20 } },
  },
];

export default routes;
