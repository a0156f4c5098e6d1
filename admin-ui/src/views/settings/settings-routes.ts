import type { RouteRecordRaw } from 'vue-router';

/** 配置管理 screens of chapter 七 (SPEC STYLE-MENU-1): all need 配置管理, except the icon list that 获取代码 also opens. */
const permission = 'settings.manage';

const routes: RouteRecordRaw[] = [
  {
    path: '/settings/chat-window',
    name: 'settings-chat-window',
    component: () => import('./ChatWindowPage.vue'),
    meta: { titleKey: 'shell.pages.chatSettings', permission, menu: { section: 'config', order: 10 } },
  },
  {
    path: '/settings/invite',
    name: 'settings-invite',
    component: () => import('./InviteWindowPage.vue'),
    meta: { titleKey: 'settings.invite.title', permission, menu: { section: 'config', order: 13 } },
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
  {
    path: '/settings/icons',
    name: 'settings-icons',
    component: () => import('./IconsPage.vue'),
    // ICON-LIST-1: 获取代码 alone opens the list read-only to copy codes.
    meta: { titleKey: 'settings.icons.title', permission: ['settings.manage', 'widget.code'], menu: { section: 'config', order: 5 } },
  },
  {
    path: '/settings/tags',
    name: 'settings-tags',
    component: () => import('./TagsPage.vue'),
    meta: { titleKey: 'settings.tags.title', permission, menu: { section: 'config', order: 15 } },
  },
  {
    path: '/settings/region',
    name: 'settings-region',
    component: () => import('./RegionPage.vue'),
    meta: { titleKey: 'settings.region.title', permission, menu: { section: 'config', order: 40 } },
  },
  {
    path: '/settings/avatars',
    name: 'settings-avatars',
    component: () => import('./AvatarsPage.vue'),
    meta: { titleKey: 'settings.avatars.title', permission, menu: { section: 'config', order: 12 } },
  },
  {
    path: '/settings/mobile',
    name: 'settings-mobile',
    component: () => import('./MobilePage.vue'),
    meta: { titleKey: 'settings.mobile.title', permission, menu: { section: 'config', order: 11 } },
  },
];

export default routes;
