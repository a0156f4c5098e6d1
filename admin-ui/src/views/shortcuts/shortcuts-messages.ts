const en = {
  title: 'Keyboard shortcuts',
  actions: {
    help: 'Show this list',
    nextUnread: 'Next conversation with unread messages',
    monitor: 'Monitor agents',
    send: 'Send the message',
    newLine: 'New line',
    closeDialog: 'Close a dialog',
  },
  scopes: { everywhere: 'Anywhere', workbench: 'Workbench', composer: 'Message input' },
};

const zhCN: typeof en = {
  title: '快捷键',
  actions: {
    help: '显示本列表',
    nextUnread: '切换到下一个有未读消息的对话',
    monitor: '监控客服',
    send: '发送消息',
    newLine: '换行',
    closeDialog: '关闭对话框',
  },
  scopes: { everywhere: '任意位置', workbench: '工作台', composer: '信息输入栏' },
};

export default { en, 'zh-CN': zhCN };
