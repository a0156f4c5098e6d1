const en = {
  description: 'Your company’s identity and contact details.',
  readOnlyNote: 'Only administrators can change company information.',
  fields: {
    publicId: 'Company ID',
    publicIdHint: 'Agents type it to sign in; it never changes.',
    name: 'Company name',
    shortName: 'Short name',
    shortNameHint: 'Used in texts visitors see. Empty: the company name.',
    website: 'Website',
    contact: 'Contact person',
    email: 'E-mail',
    phone: 'Phone',
    address: 'Address',
    timezone: 'Reporting time zone',
    timezoneHint: 'Day buckets of reports use it; stored times never change.',
  },
  timezoneChanged: 'Changing the time zone affects how days are counted in reports from now on. Continue?',
  saved: 'Company information saved.',
};

const zhCN: typeof en = {
  description: '贵公司的基本信息和联系方式。',
  readOnlyNote: '公司信息只有管理员有修改权限。',
  fields: {
    publicId: '公司ID',
    publicIdHint: '客服登录时需要输入,永不改变。',
    name: '公司名称',
    shortName: '简称',
    shortNameHint: '用于访客看到的文字。留空则使用公司名称。',
    website: '公司网址',
    contact: '联系人',
    email: '邮箱',
    phone: '联系电话',
    address: '地址',
    timezone: '报表时区',
    timezoneHint: '报表按此时区划分日期;已存储的时间不会改变。',
  },
  timezoneChanged: '修改时区会影响此后报表中日期的划分方式。确定继续吗?',
  saved: '公司信息已保存。',
};

export default { en, 'zh-CN': zhCN };
