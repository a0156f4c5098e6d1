import { defineAdminPlugin } from '@kefu/admin-ui/plugin';

/** Console screens of the robot (SPEC ROBOT-*); mounted only while `robot` is enabled for the company. */
export default defineAdminPlugin({
  id: 'robot',
  routes: [
    {
      path: '/plugins/robot/entries',
      name: 'robot-entries',
      component: () => import('./views/RobotEntries.vue'),
      meta: { title: { 'zh-CN': '知识库', en: 'Knowledge base' }, permission: 'robot.kb.edit' },
    },
    {
      path: '/plugins/robot/settings',
      name: 'robot-settings',
      component: () => import('./views/RobotSettings.vue'),
      meta: { title: { 'zh-CN': '机器人设置', en: 'Robot settings' }, permission: 'robot.settings.manage' },
    },
    {
      path: '/plugins/robot/try',
      name: 'robot-try',
      component: () => import('./views/RobotTry.vue'),
      meta: { title: { 'zh-CN': '机器人测试', en: 'Try the robot' }, permission: 'robot.kb.edit' },
    },
  ],
  menus: [
    { path: '/plugins/robot/entries', label: { 'zh-CN': '知识库', en: 'Knowledge base' }, permission: 'robot.kb.edit', order: 20 },
    { path: '/plugins/robot/try', label: { 'zh-CN': '机器人测试', en: 'Try the robot' }, permission: 'robot.kb.edit', order: 21 },
    { path: '/plugins/robot/settings', label: { 'zh-CN': '机器人设置', en: 'Robot settings' }, permission: 'robot.settings.manage', order: 22 },
  ],
  settingsPage: '/plugins/robot/settings',
});
