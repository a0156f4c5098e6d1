import { useI18n } from 'vue-i18n';
import { RobotApiError } from './api';

/** The plugin's own catalogue, merged into each screen's local i18n scope. */
const en = {
  robot: {
    entries: {
      title: 'Knowledge base',
      search: 'Search questions and answers',
      add: 'Add entry',
      question: 'Question',
      phrasings: 'Other phrasings (one per line)',
      answer: 'Answer',
      keywords: 'Related words (comma separated)',
      category: 'Category',
      enabled: 'Enabled',
      hits: 'Hits',
      clicks: 'Clicks',
      edit: 'Edit',
      delete: 'Delete',
      save: 'Save',
      cancel: 'Cancel',
      similarTitle: 'Similar entries already exist',
      addAnyway: 'Add anyway',
      editExisting: 'Edit that entry instead',
      saved: 'Saved',
    },
    settings: {
      title: 'Robot settings',
      mode: 'Reception mode',
      modes: { off: 'Off', when_no_agent: 'When no agent can chat', first: 'Robot first' },
      direct: 'Direct-answer threshold',
      list: 'Related-list threshold',
      keywords: 'Hand-over keywords (comma separated)',
      welcome: 'Welcome text',
      fallback: 'Fallback text',
      save: 'Save',
      saved: 'Saved',
    },
    try: {
      title: 'Try it',
      placeholder: 'Type a question as a visitor would',
      ask: 'Ask',
      answer: 'Direct answer',
      related: 'Related-question list',
      fallback: 'Fallback (no match)',
      confidence: 'Confidence',
      candidates: 'Candidates',
    },
    errors: {
      robot_duplicate_question: 'Another entry already has this question',
      validation_failed: 'Please check the input',
      forbidden: 'You do not have this permission',
      generic: 'Something went wrong; please retry',
    },
  },
};

const zhCN: typeof en = {
  robot: {
    entries: {
      title: '知识库',
      search: '搜索问题和答案',
      add: '添加知识',
      question: '问题',
      phrasings: '其他问法(每行一个)',
      answer: '答案',
      keywords: '相关词(逗号分隔)',
      category: '分类',
      enabled: '启用',
      hits: '命中',
      clicks: '点击',
      edit: '编辑',
      delete: '删除',
      save: '保存',
      cancel: '取消',
      similarTitle: '已有相似的知识',
      addAnyway: '继续添加',
      editExisting: '编辑已有',
      saved: '已保存',
    },
    settings: {
      title: '机器人设置',
      mode: '接待方式',
      modes: { off: '关闭', when_no_agent: '无客服时接待', first: '机器人优先' },
      direct: '直接回答阈值',
      list: '列出相关问题阈值',
      keywords: '转人工关键词(逗号分隔)',
      welcome: '欢迎语',
      fallback: '无法回答时',
      save: '保存',
      saved: '已保存',
    },
    try: {
      title: '测试',
      placeholder: '以访客身份输入问题',
      ask: '提问',
      answer: '直接回答',
      related: '列出相关问题',
      fallback: '无匹配',
      confidence: '置信度',
      candidates: '候选',
    },
    errors: {
      robot_duplicate_question: '已有其他知识使用了这个问题',
      validation_failed: '请检查输入',
      forbidden: '您没有此权限',
      generic: '操作失败,请重试',
    },
  },
};

export const messages = { en, 'zh-CN': zhCN };

export function useRobotI18n() {
  const i18n = useI18n({ messages });
  const errorText = (error: unknown): string => {
    if (!(error instanceof RobotApiError)) return i18n.t('robot.errors.generic');
    const key = `robot.errors.${error.code}`;
    return i18n.te(key) || i18n.te(key, 'en') ? i18n.t(key) : error.message || i18n.t('robot.errors.generic');
  };
  return { ...i18n, errorText };
}
