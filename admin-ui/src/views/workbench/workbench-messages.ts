const en = {
  title: 'The live conversation workbench is not here yet',
  description:
    'Visitor lists, chat queues and the chat pane arrive together with the conversation engine. Until then this console manages agents, groups, security and company settings.',
  available: 'Available now',
  links: {
    agents: 'Set up agents and their permissions',
    groups: 'Organise agents into groups',
    profile: 'Check your own details and sessions',
  },
};

const zhCN: typeof en = {
  title: '实时对话工作台尚未上线',
  description: '访客列表、排队和对话窗口将随对话引擎一同提供。在此之前,您可以在控制台中管理客服、分组、安全和公司设置。',
  available: '现在可以使用',
  links: {
    agents: '设置客服及其权限',
    groups: '为客服分组',
    profile: '查看个人信息和登录会话',
  },
};

export default { en, 'zh-CN': zhCN };
