/** The loader's own words per visitor language: icon labels (ICON-TYPES-3) and the title-blink notice. The invitation's texts come from the settings (INVITE-TEXT-5). */
type Texts = { label: string; online: string; offline: string; newMsg: string };

export const TEXTS: Record<string, Texts> = {
  'zh-CN': { label: '在线客服', online: '在线咨询', offline: '给我们留言', newMsg: '新消息' },
  'zh-TW': { label: '線上客服', online: '線上諮詢', offline: '給我們留言', newMsg: '新訊息' },
  en: { label: 'Chat with us', online: 'Chat online', offline: 'Leave a message', newMsg: 'New message' },
  ja: { label: 'チャットで相談', online: 'チャットで相談', offline: 'メッセージを残す', newMsg: '新着メッセージ' },
  ko: { label: '채팅 상담', online: '온라인 상담', offline: '메시지 남기기', newMsg: '새 메시지' },
};
