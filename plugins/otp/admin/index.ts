import { defineAdminPlugin } from '@kefu/admin-ui/plugin';

/** Console screens of the dynamic password (SPEC OTP-*); mounted only while `otp` is enabled for the company. */
export default defineAdminPlugin({
  id: 'otp',
  routes: [
    {
      // The console sends an agent the policy obliges here (restricted session, OTP-POLICY-9).
      path: '/plugins/otp/bind',
      name: 'otp-bind',
      component: () => import('./views/OtpBind.vue'),
      meta: { title: { 'zh-CN': '绑定动态口令', en: 'Bind dynamic password' } },
    },
    {
      path: '/plugins/otp/status',
      name: 'otp-status',
      component: () => import('./views/OtpStatus.vue'),
      meta: { title: { 'zh-CN': '我的动态口令', en: 'My dynamic password' } },
    },
    {
      path: '/plugins/otp/manage',
      name: 'otp-manage',
      component: () => import('./views/OtpManage.vue'),
      meta: { title: { 'zh-CN': '动态口令管理', en: 'Dynamic password management' }, permission: 'otp.manage' },
    },
  ],
  menus: [
    { path: '/plugins/otp/status', label: { 'zh-CN': '动态口令', en: 'Dynamic password' }, order: 10 },
    { path: '/plugins/otp/manage', label: { 'zh-CN': '动态口令管理', en: 'Dynamic password management' }, permission: 'otp.manage', order: 11 },
  ],
  settingsPage: '/plugins/otp/manage',
});
