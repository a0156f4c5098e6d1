const en = { todo: 'todo' };
const zhCN: typeof en = { todo: 'todo' };
export default { en, 'zh-CN': zhCN };
