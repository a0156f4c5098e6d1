import { defineAsyncComponent } from 'vue';
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
      path: '/plugins/robot/categories',
      name: 'robot-categories',
      component: () => import('./views/RobotCategories.vue'),
      meta: { title: { 'zh-CN': '知识分类', en: 'Knowledge categories' }, permission: 'robot.kb.edit' },
    },
    {
      path: '/plugins/robot/import',
      name: 'robot-import',
      component: () => import('./views/RobotImport.vue'),
      meta: { title: { 'zh-CN': '知识导入/导出', en: 'Knowledge import and export' }, permission: 'robot.kb.edit' },
    },
    {
      path: '/plugins/robot/stats',
      name: 'robot-stats',
      component: () => import('./views/RobotStats.vue'),
      meta: { title: { 'zh-CN': '机器人统计', en: 'Robot statistics' }, permission: 'robot.stats.view' },
    },
    {
      path: '/plugins/robot/unmatched',
      name: 'robot-unmatched',
      component: () => import('./views/RobotUnmatched.vue'),
      meta: { title: { 'zh-CN': '未匹配问题', en: 'Unmatched questions' }, permission: 'robot.stats.view' },
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
    { path: '/plugins/robot/categories', label: { 'zh-CN': '知识分类', en: 'Knowledge categories' }, permission: 'robot.kb.edit', order: 21 },
    { path: '/plugins/robot/import', label: { 'zh-CN': '知识导入/导出', en: 'Import and export' }, permission: 'robot.kb.edit', order: 22 },
    { path: '/plugins/robot/try', label: { 'zh-CN': '机器人测试', en: 'Try the robot' }, permission: 'robot.kb.edit', order: 23 },
    { path: '/plugins/robot/stats', label: { 'zh-CN': '机器人统计', en: 'Robot statistics' }, permission: 'robot.stats.view', order: 24 },
    { path: '/plugins/robot/unmatched', label: { 'zh-CN': '未匹配问题', en: 'Unmatched questions' }, permission: 'robot.stats.view', order: 25 },
    { path: '/plugins/robot/settings', label: { 'zh-CN': '机器人设置', en: 'Robot settings' }, permission: 'robot.settings.manage', order: 26 },
  ],
  // Every agent may search the knowledge while chatting (ROBOT-PERMS-2, ROBOT-PANEL-17).
  workbenchTabs: [{ id: 'kb', title: { 'zh-CN': '知识库', en: 'Knowledge' }, component: defineAsyncComponent(() => import('./views/RobotKbTab.vue')) }],
  settingsPage: '/plugins/robot/settings',
});
