import { defineAsyncComponent } from 'vue';
import { defineAdminPlugin, useConsole } from '@kefu/admin-ui/plugin';
import { entryFromChat, replyTo } from './kb-from-chat';

/** The entry editor of 知识库, opened prefilled (the same screen 未匹配问题 and 加入知识库 use). */
const openEditor = (entry: { question: string; answer: string }) => useConsole().navigate('/plugins/robot/entries', entry);

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
  // 加入知识库 on a visitor's question (SPEC 2.4.1): the entry editor opens prefilled.
  messageActions: [
    {
      id: 'add-to-kb',
      label: { 'zh-CN': '加入知识库', en: 'Add to knowledge base' },
      permission: 'robot.kb.edit',
      when: (m) => m.senderKind === 'visitor' && m.kind === 'text' && !!m.text?.trim(),
      handler: (m, conversation) => void openEditor({ question: (m.text ?? '').trim(), answer: replyTo(m, conversation.messages) }),
    },
  ],
  // 知识库添加 in the chat toolbar (CONV-KB-23, ROBOT-ADDCHAT-18), at the place CONV-CHATBAR-12 keeps for it.
  chatToolbar: [
    {
      id: 'add-to-kb',
      label: { 'zh-CN': '知识库添加', en: 'Add to KB' },
      tooltip: {
        'zh-CN': '把选中的访客消息（问题）和客服消息（答案）加入知识库；未选中时用访客最后的问题和客服的回答',
        en: "Add the selected visitor messages (question) and agent messages (answer) to the knowledge base; with none selected, the visitor's last question and the reply",
      },
      permission: 'robot.kb.edit',
      place: 'knowledge',
      disabledFor: (ctx) => (entryFromChat([], ctx.messages) ? null : { 'zh-CN': '还没有访客的问题可以加入知识库', en: 'No visitor question to add yet' }),
      onClick: async (ctx) => {
        const entry = entryFromChat(ctx.selectedMessages, ctx.messages);
        if (entry) await openEditor(entry);
      },
    },
  ],
  settingsPage: '/plugins/robot/settings',
});
