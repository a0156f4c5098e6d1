const en = {
  title: 'Billing',
  description: 'Seats and enhanced features of your company, with their licence periods.',
  columns: { product: 'Product', quantity: 'Quantity', start: 'Start', expiry: 'Expiry', remaining: 'Remaining', state: 'State' },
  state: { active: 'Active', expiring: 'Expiring soon', expired: 'Expired', not_started: 'Not started', not_activated: 'Not activated' },
  days: '{n} days',
  noExpiry: 'No expiry',
  selfHosted: 'Self-hosted · unlimited',
  unlimited: 'Unlimited',
  seatsUsed: '{used} of {quantity} in use',
  seatsUsedUnlimited: '{used} in use',
  overLimit: 'More agents are enabled than your seats allow. Nobody was disabled, but no agent can be added or enabled until some are disabled.',
  managed: 'Licences are managed by the server operator and shown here read-only.',
  open: 'This server runs in self-hosted mode: administrators enable plugins on the Plugins page, without dates or limits.',
  active: 'Activated services',
  history: { title: 'Licence history', at: 'Time', actor: 'By', product: 'Product', change: 'Change', operator: 'Server operator', empty: 'No changes yet.' },
  contact: { title: 'Renewal contact', name: 'Contact', phone: 'Phone', email: 'E-mail', url: 'Web' },
};

const zhCN: typeof en = {
  title: '计费信息',
  description: '贵公司的坐席和增强功能及其授权期限。',
  columns: { product: '产品名称', quantity: '数量', start: '开始时间', expiry: '过期时间', remaining: '剩余', state: '状态' },
  state: { active: '使用中', expiring: '即将到期', expired: '已过期', not_started: '未生效', not_activated: '未开通' },
  days: '{n} 天',
  noExpiry: '长期',
  selfHosted: '自托管 · 不限',
  unlimited: '不限',
  seatsUsed: '已用 {used} / {quantity}',
  seatsUsedUnlimited: '已用 {used}',
  overLimit: '已启用的客服多于坐席数。系统没有停用任何客服,但在停用部分客服之前,无法新增或启用客服。',
  managed: '授权由服务器运营方管理,此处只读显示。',
  open: '本服务器为自托管模式:管理员可在插件管理页面自行启用插件,不限期限和数量。',
  active: '已开通的增值服务项目',
  history: { title: '授权变更记录', at: '时间', actor: '操作人', product: '产品', change: '变更', operator: '服务器运营方', empty: '暂无变更。' },
  contact: { title: '联系续费', name: '联系人', phone: '电话', email: '邮箱', url: '网址' },
};

export default { en, 'zh-CN': zhCN };
