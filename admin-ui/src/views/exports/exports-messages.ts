const en = {
  records: 'Exports',
  title: 'Exports',
  hint: 'Large exports are prepared in the background. Only you can download them, for 24 hours.',
  started: 'Export started',
  startedText: 'It has more than 1,000 rows, so it is prepared in the background. See',
  ready: 'Export ready',
  readyText: '{name} can be downloaded for 24 hours from',
  failed: 'Export failed',
  empty: 'No exports yet.',
  download: 'Download',
  columns: { file: 'File', kind: 'Content', created: 'Requested', status: 'Status', progress: 'Progress', size: 'Size', expires: 'Available until' },
  kinds: { history: 'Conversations', leavemsg: 'Leave-messages' } as Record<string, string>,
  status: { running: 'Preparing', done: 'Ready', failed: 'Failed', cancelled: 'Cancelled', expired: 'Expired' },
  reasons: {
    permission_removed: 'you no longer have the permission',
    export_too_large: 'too many rows',
    export_interrupted: 'interrupted too often',
  } as Record<string, string>,
};

const zhCN: typeof en = {
  records: '导出记录',
  title: '导出记录',
  hint: '较大的导出在后台生成,仅您本人可在 24 小时内下载。',
  started: '导出已开始',
  startedText: '超过 1000 条,将在后台生成。请到',
  ready: '导出已完成',
  readyText: '{name} 可在 24 小时内下载,见',
  failed: '导出失败',
  empty: '暂无导出记录。',
  download: '下载',
  columns: { file: '文件', kind: '内容', created: '导出时间', status: '状态', progress: '进度', size: '大小', expires: '有效期至' },
  kinds: { history: '对话记录', leavemsg: '留言' },
  status: { running: '生成中', done: '可下载', failed: '失败', cancelled: '已取消', expired: '已过期' },
  reasons: { permission_removed: '您已没有该权限', export_too_large: '条数过多', export_interrupted: '多次中断' },
};

export default { en, 'zh-CN': zhCN };
