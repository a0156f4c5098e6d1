import type { Lang } from '../settings/widget-defaults.ts';

/** POLICY-TIMEOUT-1: the two visitor timeout prompts. */
export const TIMEOUT_TEXTS: Record<Lang, { first: string; second: string }> = {
  'zh-CN': {
    first: '您好,请问您还在吗?还有其他问题需要帮助吗?',
    second: '由于您长时间未回复,本次对话将自动结束。如需帮助,欢迎再次咨询。',
  },
  'zh-TW': {
    first: '您好,請問您還在嗎?還有其他問題需要幫助嗎?',
    second: '由於您長時間未回覆,本次對話將自動結束。如需幫助,歡迎再次諮詢。',
  },
  en: {
    first: 'Are you still there? Is there anything else we can help with?',
    second: 'As we have not heard from you, this chat will now end. You are welcome to start a new one at any time.',
  },
  ja: {
    first: 'まだいらっしゃいますか?ほかにお手伝いできることはありますか?',
    second: 'しばらくご返信がないため、このチャットを終了します。いつでも新しいチャットを始めていただけます。',
  },
  ko: {
    first: '아직 계신가요? 더 도와드릴 일이 있을까요?',
    second: '한동안 답변이 없어 이 상담을 종료합니다. 언제든지 새 상담을 시작하실 수 있습니다.',
  },
};

/** POLICY-PROACTIVE-2: the automatic proactive greeting. */
export const PROACTIVE_GREETING: Record<Lang, string> = {
  'zh-CN': '您好!我是在线客服,有什么可以帮您的吗?',
  'zh-TW': '您好!我是線上客服,有什麼可以幫您的嗎?',
  en: "Hi there! I'm here to help — any questions?",
  ja: 'こんにちは!オンラインサポートです。何かお手伝いできることはありますか?',
  ko: '안녕하세요! 온라인 상담원입니다. 궁금한 점이 있으신가요?',
};
