/** The visitor languages (STYLE-LANG-4) and the default texts of the chat window, pre-chat and leave-message forms. */
export const LANGS = ['zh-CN', 'zh-TW', 'en', 'ja', 'ko'] as const;
export type Lang = (typeof LANGS)[number];

type WindowTexts = { title: string; guide: string; welcome: string; closing: string; busy: string; waiting: string; warning: string; offline: string };

/** WINDOW-TEXT-1, LEAVESET-SWITCH-1 (offline notice). */
export const WINDOW_TEXTS: Record<Lang, WindowTexts> = {
  'zh-CN': {
    title: '在线客服',
    guide: '在线咨询,点击开始对话',
    welcome: '您好,欢迎光临!请问有什么可以帮您?',
    closing: '感谢您的咨询,祝您生活愉快,再见!',
    busy: '客服人员正忙,请您稍候,我们将尽快为您服务。',
    waiting: '正在为您接通客服,请稍候……',
    warning: '为保障您的信息安全,请勿在对话中透露密码等敏感信息。',
    offline: '当前没有客服在线,请稍后再来。',
  },
  'zh-TW': {
    title: '線上客服',
    guide: '線上諮詢,點擊開始對話',
    welcome: '您好,歡迎光臨!請問有什麼可以幫您?',
    closing: '感謝您的諮詢,祝您生活愉快,再見!',
    busy: '客服人員正忙,請您稍候,我們將盡快為您服務。',
    waiting: '正在為您接通客服,請稍候……',
    warning: '為保障您的資訊安全,請勿在對話中透露密碼等敏感資訊。',
    offline: '目前沒有客服在線,請稍後再來。',
  },
  en: {
    title: 'Live chat',
    guide: 'Questions? Chat with us',
    welcome: 'Hello and welcome! How can we help you today?',
    closing: 'Thank you for chatting with us. Have a nice day!',
    busy: 'All our agents are busy right now. Please wait — we will be with you shortly.',
    waiting: 'Connecting you to an agent, please wait…',
    warning: 'For your safety, never share passwords or other sensitive data in this chat.',
    offline: 'No agents are online right now. Please come back later.',
  },
  ja: {
    title: 'チャットサポート',
    guide: 'ご質問はチャットでどうぞ',
    welcome: 'こんにちは、ようこそ!ご用件をお聞かせください。',
    closing: 'お問い合わせありがとうございました。良い一日を!',
    busy: 'ただいま担当者が対応中です。少々お待ちください。',
    waiting: '担当者におつなぎしています。少々お待ちください…',
    warning: 'セキュリティのため、パスワードなどの機密情報をチャットで共有しないでください。',
    offline: '現在オンラインの担当者がいません。後ほどお越しください。',
  },
  ko: {
    title: '실시간 상담',
    guide: '궁금하신 점은 채팅으로 문의하세요',
    welcome: '안녕하세요, 환영합니다! 무엇을 도와드릴까요?',
    closing: '상담해 주셔서 감사합니다. 좋은 하루 되세요!',
    busy: '지금은 상담원이 모두 바쁩니다. 잠시만 기다려 주세요.',
    waiting: '상담원에게 연결 중입니다. 잠시만 기다려 주세요…',
    warning: '안전을 위해 비밀번호 등 민감한 정보를 채팅에서 공유하지 마세요.',
    offline: '현재 상담 가능한 상담원이 없습니다. 나중에 다시 방문해 주세요.',
  },
};

/** PRECHAT-FIELDS-3. */
export const PRECHAT_WELCOME: Record<Lang, string> = {
  'zh-CN': '请填写您的联系方式,以便我们更好地为您服务。',
  'zh-TW': '請填寫您的聯絡方式,以便我們更好地為您服務。',
  en: 'Please fill in your contact details so we can serve you better.',
  ja: 'より良いサービスのため、ご連絡先をご記入ください。',
  ko: '더 나은 서비스를 위해 연락처를 입력해 주세요.',
};

/** LEAVESET-INFO-5. */
export const LEAVE_TEXTS: Record<Lang, { title: string; intro: string; thanks: string }> = {
  'zh-CN': {
    title: '留言',
    intro: '您好,目前客服不在线。请留下您的联系方式和问题,我们会尽快与您联系。',
    thanks: '留言已提交,感谢您的支持!',
  },
  'zh-TW': {
    title: '留言',
    intro: '您好,目前客服不在線。請留下您的聯絡方式和問題,我們會盡快與您聯繫。',
    thanks: '留言已提交,感謝您的支持!',
  },
  en: {
    title: 'Leave a message',
    intro: 'We are not online right now. Leave your contact details and question and we will get back to you soon.',
    thanks: 'Thank you! Your message has been sent.',
  },
  ja: {
    title: 'メッセージを残す',
    intro: '現在、担当者が不在です。ご連絡先とご質問を残していただければ、折り返しご連絡いたします。',
    thanks: 'メッセージを送信しました。ありがとうございます。',
  },
  ko: {
    title: '메시지 남기기',
    intro: '현재 상담원이 부재중입니다. 연락처와 문의 내용을 남겨 주시면 곧 연락드리겠습니다.',
    thanks: '메시지가 전송되었습니다. 감사합니다.',
  },
};

/** INVITE-POPUP-2 弹出方式 and INVITE-STYLE-6 templates (custom = the company's own colours and size). */
export const INVITE_MODES = ['center', 'bottom-right', 'bottom-left', 'top-banner'] as const;
export const INVITE_TEMPLATES = ['simple', 'business', 'card', 'bubble', 'banner', 'dark', 'custom'] as const;

/** INVITE-TEXT-5: the invitation's title, text and buttons. */
export const INVITE_TEXTS: Record<Lang, { title: string; text: string; accept: string; decline: string }> = {
  'zh-CN': { title: '在线咨询', text: '您好!有什么可以帮您的吗?点击「接受」即可与客服对话。', accept: '接受', decline: '以后再说' },
  'zh-TW': { title: '線上諮詢', text: '您好!有什麼可以幫您的嗎?點擊「接受」即可與客服對話。', accept: '接受', decline: '以後再說' },
  en: { title: 'Chat with us', text: 'Hi! Any questions? Click Accept to chat with one of our agents.', accept: 'Accept', decline: 'Later' },
  ja: { title: 'チャットで相談', text: 'こんにちは!ご質問はありませんか?「承諾」を押すと担当者とチャットできます。', accept: '承諾', decline: 'あとで' },
  ko: { title: '채팅 상담', text: '안녕하세요! 궁금한 점이 있으신가요? 수락을 누르면 상담원과 채팅할 수 있습니다.', accept: '수락', decline: '나중에' },
};
