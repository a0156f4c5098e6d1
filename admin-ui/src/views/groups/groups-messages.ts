const en = {
  description: 'Organise agents into groups, so chats from a group’s entry go only to its members.',
  add: 'Add group',
  columns: {
    name: 'Group name',
    description: 'Description',
    members: 'Members',
  },
  membersCount: '{n} members',
  moreMembers: '+{n}',
  dialog: {
    addTitle: 'Add group',
    editTitle: 'Edit group {name}',
  },
  fields: {
    name: 'Group name',
    description: 'Description',
    members: 'Members',
    membersHint: 'Pick the agents of this group. An agent can belong to at most 20 groups.',
    membersUnavailable: 'The member list needs the agent management permission; members stay as they are.',
    available: 'Agents',
    chosen: 'In this group',
    filter: 'Search agents',
  },
  confirm: {
    deleteTitle: 'Delete group {name}?',
    deleteBody: 'Its members stay; chats waiting for this group are routed to the whole company. Conversations and reports keep the group’s name.',
  },
  done: {
    created: 'Group {name} added.',
    updated: 'Group {name} saved.',
    deleted: 'Group {name} deleted.',
  },
};

const zhCN: typeof en = {
  description: '为客服分组;从分组入口进入的对话只由该组成员接待。',
  add: '添加分组',
  columns: {
    name: '分组名称',
    description: '描述',
    members: '成员',
  },
  membersCount: '{n} 人',
  moreMembers: '+{n}',
  dialog: {
    addTitle: '添加分组',
    editTitle: '修改分组 {name}',
  },
  fields: {
    name: '分组名称',
    description: '描述',
    members: '成员',
    membersHint: '选择该组的客服。每个客服最多属于 20 个分组。',
    membersUnavailable: '成员列表需要客服管理权限;成员将保持不变。',
    available: '客服',
    chosen: '本组成员',
    filter: '搜索客服',
  },
  confirm: {
    deleteTitle: '删除分组 {name}?',
    deleteBody: '成员不会被删除;正在等待该分组的访客将转由全公司接待。对话和报表中保留该分组名称。',
  },
  done: {
    created: '已添加分组 {name}。',
    updated: '已保存分组 {name}。',
    deleted: '已删除分组 {name}。',
  },
};

export default { en, 'zh-CN': zhCN };
