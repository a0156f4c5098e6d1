const en = {
  description:
    'The enhanced features installed on this server. Enabling or disabling one applies to your company at once, with no restart; its data is kept while it is off.',
  columns: {
    plugin: 'Plugin',
    state: 'State',
    startsAt: 'Start',
    expiresAt: 'Expiry',
  },
  state: {
    enabled: 'Enabled',
    disabled: 'Not enabled',
    expired: 'Expired',
    failed: 'Failed to load',
  },
  noExpiry: 'No expiry',
  managed: 'Licences on this server are managed by its operator; they are shown here read-only.',
  enable: {
    title: 'Enable {name}',
    body: 'Its screens, menus and permissions appear for your company’s agents at once.',
    expiresAt: 'Expiry date (optional)',
    expiresHint: 'Valid through the end of this day; leave empty for no expiry.',
    submit: 'Enable',
  },
  disable: {
    title: 'Disable {name}?',
    body: 'Its screens and menus disappear for every agent of your company at once. Its data and settings are kept and come back when you enable it again.',
  },
  done: {
    enabled: '{name} is enabled.',
    disabled: '{name} is disabled.',
  },
};

const zhCN: typeof en = {
  description: '本服务器已安装的增强功能。启用或停用会立即对贵公司生效,无需重启;停用期间其数据会保留。',
  columns: {
    plugin: '插件',
    state: '状态',
    startsAt: '开始时间',
    expiresAt: '过期时间',
  },
  state: {
    enabled: '使用中',
    disabled: '未开通',
    expired: '已过期',
    failed: '加载失败',
  },
  noExpiry: '长期',
  managed: '本服务器的授权由运营方管理,此处只读显示。',
  enable: {
    title: '启用 {name}',
    body: '其页面、菜单和权限将立即对贵公司的客服可见。',
    expiresAt: '过期日期(可选)',
    expiresHint: '有效期至当天结束;留空表示长期有效。',
    submit: '启用',
  },
  disable: {
    title: '停用 {name}?',
    body: '其页面和菜单将立即对贵公司所有客服隐藏。其数据和设置会保留,重新启用后恢复。',
  },
  done: {
    enabled: '已启用 {name}。',
    disabled: '已停用 {name}。',
  },
};

export default { en, 'zh-CN': zhCN };
