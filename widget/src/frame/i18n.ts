import { pickLanguage } from '../shared/lang.ts';

export { pickLanguage };

/** The chat window's own texts (zh-CN, zh-TW, en, ja, ko). `{n}`/`{name}` are filled in by `t`. */
const en = {
  title: 'Customer service',
  welcome: 'Hello! Questions about an order or a product? We are here to help.',
  start: 'Start chat',
  connecting: 'Connecting…',
  offline: 'Offline: your messages will be sent when the connection is back.',
  unavailable: 'The chat is not available right now.',
  queue: 'You are number {n} in the queue. An agent will be with you shortly.',
  waiting: 'Waiting for an agent…',
  serving: '{name} is serving you',
  ended: 'This chat has ended. Thank you!',
  restart: 'Start a new chat',
  placeholder: 'Type a message and press Enter',
  input: 'Your message',
  send: 'Send',
  end: 'End chat',
  close: 'Minimise the chat',
  messages: 'Conversation',
  you: 'You',
  agent: 'Agent',
  sending: 'Sending…',
  sent: 'Sent',
  failed: 'Not sent',
};
export type Key = keyof typeof en;

const catalogue: Record<string, Record<Key, string>> = {
  en,
  'zh-CN': {
    title: '在线客服', welcome: '您好！关于订单或商品有任何问题，我们随时为您服务。', start: '开始咨询', connecting: '正在连接…',
    offline: '网络已断开：恢复连接后将自动发送您的消息。', unavailable: '在线客服暂时不可用。', queue: '您前面还有 {n} 位（含您），客服马上就来。',
    waiting: '正在等待客服…', serving: '{name} 为您服务', ended: '本次对话已结束，谢谢！', restart: '开始新的对话',
    placeholder: '输入消息，按 Enter 发送', input: '您的消息', send: '发送', end: '结束对话', close: '最小化聊天窗口', messages: '对话内容',
    you: '我', agent: '客服', sending: '发送中…', sent: '已发送', failed: '发送失败',
  },
  'zh-TW': {
    title: '線上客服', welcome: '您好！關於訂單或商品有任何問題，我們隨時為您服務。', start: '開始諮詢', connecting: '正在連線…',
    offline: '網路已中斷：恢復連線後將自動傳送您的訊息。', unavailable: '線上客服暫時無法使用。', queue: '您目前排在第 {n} 位，客服馬上就來。',
    waiting: '正在等待客服…', serving: '{name} 為您服務', ended: '本次對話已結束，謝謝！', restart: '開始新的對話',
    placeholder: '輸入訊息，按 Enter 傳送', input: '您的訊息', send: '傳送', end: '結束對話', close: '最小化聊天視窗', messages: '對話內容',
    you: '我', agent: '客服', sending: '傳送中…', sent: '已傳送', failed: '傳送失敗',
  },
  ja: {
    title: 'カスタマーサポート', welcome: 'こんにちは。ご注文や商品についてお気軽にご相談ください。', start: 'チャットを開始', connecting: '接続中…',
    offline: 'オフラインです。接続が戻るとメッセージが送信されます。', unavailable: '現在チャットはご利用いただけません。', queue: '現在 {n} 番目にお待ちいただいています。',
    waiting: '担当者を待っています…', serving: '{name} が対応しています', ended: 'チャットは終了しました。ありがとうございました。', restart: '新しいチャットを開始',
    placeholder: 'メッセージを入力して Enter で送信', input: 'メッセージ', send: '送信', end: 'チャットを終了', close: 'チャットを最小化', messages: '会話',
    you: 'あなた', agent: '担当者', sending: '送信中…', sent: '送信済み', failed: '送信できませんでした',
  },
  ko: {
    title: '고객 상담', welcome: '안녕하세요! 주문이나 상품에 대해 궁금한 점이 있으면 언제든지 문의하세요.', start: '상담 시작', connecting: '연결 중…',
    offline: '오프라인입니다. 연결되면 메시지가 전송됩니다.', unavailable: '지금은 상담을 이용할 수 없습니다.', queue: '대기 순서: {n}번째입니다. 곧 상담원이 연결됩니다.',
    waiting: '상담원을 기다리는 중…', serving: '{name} 상담원이 도와드립니다', ended: '상담이 종료되었습니다. 감사합니다!', restart: '새 상담 시작',
    placeholder: '메시지를 입력하고 Enter를 누르세요', input: '메시지', send: '보내기', end: '상담 종료', close: '채팅 최소화', messages: '대화',
    you: '나', agent: '상담원', sending: '전송 중…', sent: '전송됨', failed: '전송 실패',
  },
};


let current = 'en';
export const setLanguage = (l: string) => (current = pickLanguage(l));
export const language = () => current;
export function t(key: Key, vars: Record<string, string | number> = {}): string {
  return (catalogue[current] || en)[key].replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));
}
