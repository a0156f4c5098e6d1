/**
 * Core's permission table (SPEC AGENT-PERMS-14). Admins hold every permission,
 * plugins add theirs through their manifest. `newAgent` marks the default set.
 */
export interface PermissionDef {
  name: string;
  section: string;
  label: { 'zh-CN': string; en: string };
  newAgent?: boolean;
  /** Contributed by a plugin: listed only while it is enabled for the company. */
  plugin?: string;
  /** Ticking this one ticks these too (AGENT-PERMS-13). */
  includes?: string[];
}

const p = (name: string, section: string, zh: string, en: string, newAgent = false, includes?: string[]): PermissionDef => ({
  name,
  section,
  label: { 'zh-CN': zh, en },
  newAgent,
  includes,
});

export const corePermissions: PermissionDef[] = [
  p('conversation.accept', 'conversations', '接对话', 'Take chats', true),
  p('conversation.transfer', 'conversations', '传送对话', 'Transfer chats', true),
  p('conversation.monitor', 'conversations', '监控客服', 'Monitor agents'),
  p('visitor.invite', 'conversations', '邀请访客', 'Invite visitors', true),
  p('visitor.proactive', 'conversations', '主动对话', 'Proactive chat', true),
  p('visitor.block', 'conversations', '访客阻止', 'Block visitors'),
  p('canned.manage', 'conversations', '公司常用语管理', 'Company canned replies'),
  p('links.manage', 'conversations', '公司常用链接/文件管理', 'Company links and files'),
  p('topics.manage', 'conversations', '对话主题管理', 'Conversation topics'),
  p('agents.manage', 'collaboration', '查看其它客服列表(客服管理)', 'Agent management'),
  p('groups.manage', 'collaboration', '分组管理', 'Groups'),
  p('assign.manage', 'collaboration', '自动分配', 'Automatic assignment'),
  p('loginlog.view', 'collaboration', '登录日志', 'Login log'),
  p('notice.publish', 'collaboration', '发布通知', 'Publish notices'),
  p('history.viewAll', 'history', '查看所有对话记录', 'See all conversations'),
  p('history.evaluate', 'history', '修改对话评估(二次评估)', 'Re-evaluate conversations'),
  p('history.export', 'history', '导出对话记录', 'Export conversations'),
  p('history.delete', 'history', '删除对话记录', 'Delete conversations'),
  p('leavemsg.viewAll', 'history', '查看所有留言', 'See all leave-messages'),
  p('leavemsg.handle', 'history', '处理留言', 'Handle leave-messages', true),
  p('leavemsg.export', 'history', '导出留言', 'Export leave-messages'),
  p('leavemsg.delete', 'history', '删除留言', 'Delete leave-messages'),
  p('settings.manage', 'settings', '配置管理', 'Configuration', false, ['widget.code']),
  p('widget.code', 'settings', '获取代码', 'Get embed code'),
  p('settings.loginIp', 'settings', '登录IP管理', 'Login IP list'),
  p('billing.view', 'account', '计费信息', 'Billing'),
  p('profile.edit', 'account', '修改个人信息', 'Edit own profile', true),
  p('privacy.manage', 'privacy', '个人数据管理', 'Personal data'),
];

export const newAgentPermissions = corePermissions.filter((d) => d.newAgent).map((d) => d.name);

/** Expands `includes` so a granted permission carries the ones it implies. */
export function withIncluded(perms: string[], all: PermissionDef[]): string[] {
  const out = new Set(perms);
  for (const d of all) if (out.has(d.name)) for (const inc of d.includes ?? []) out.add(inc);
  return [...out].sort();
}
