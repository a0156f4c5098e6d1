import { definePlugin } from '@kefu/core/plugin';
import { Categories } from './categories.ts';
import { Entries } from './entries.ts';
import { KbIo } from './io.ts';
import { KnowledgeBase } from './kb.ts';
import { Reception } from './reception.ts';
import { registerRoutes } from './routes.ts';
import { RobotStore } from './store.ts';
import { SMALL_TALK } from './seed.ts';

/** The answering robot and its knowledge base (SPEC ROBOT-*), built only on the plugin API. */
export default definePlugin({
  manifest: {
    id: 'robot',
    name: { 'zh-CN': '智能机器人', en: 'Robot' },
    description: { 'zh-CN': '知识库与无人值守自动应答', en: 'Knowledge base and unattended answering' },
    permissions: [
      { name: 'robot.kb.edit', section: 'robot', label: { 'zh-CN': '编辑知识库', en: 'Edit the knowledge base' } },
      { name: 'robot.settings.manage', section: 'robot', label: { 'zh-CN': '机器人设置', en: 'Robot settings' } },
      { name: 'robot.stats.view', section: 'robot', label: { 'zh-CN': '机器人统计', en: 'Robot statistics' } },
    ],
  },
  /** First enable: settings, 寒暄库 with greetings/thanks/goodbyes, and 默认分类 (ROBOT-CATEGORY-3). */
  async install(ctx, companyId) {
    const store = new RobotStore(ctx);
    await store.settings(companyId);
    const t = ctx.tenant(companyId);
    if (await t.q('robot_categories').where({ kind: 'smalltalk' }).first('id')) return;
    const [small] = await t.insert('robot_categories', { name: '寒暄库', kind: 'smalltalk', sort: 0 }).returning('id');
    await t.insert('robot_categories', { name: '默认分类', kind: 'default', sort: 1 });
    await t.insert(
      'robot_entries',
      SMALL_TALK.map((e) => ({ ...e, category_id: small.id })),
    );
    await store.bump(companyId);
  },
  start(ctx) {
    const store = new RobotStore(ctx);
    const kb = new KnowledgeBase(store);
    const entries = new Entries(store, kb);
    const io = new KbIo(store, entries, kb);
    new Reception(ctx, store, kb).register();
    registerRoutes(ctx, store, kb, entries, new Categories(store, kb), io);
  },
});
