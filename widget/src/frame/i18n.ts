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
  leave: 'Leave a message',
  submit: 'Submit',
  back: 'Back',
  requiredNote: 'Fields marked * are required',
  choose: 'Please choose',
  required: 'Please fill in this field',
  invalid_email: 'Enter a valid e-mail address',
  invalid_phone: 'Enter a valid phone number',
  too_long: 'Too long',
  contact: 'Give at least one way to reach you (mobile, phone, e-mail or QQ)',
  rateTitle: 'How satisfied are you with this chat?',
  rate1: 'Very dissatisfied',
  rate2: 'Dissatisfied',
  rate3: 'Neutral',
  rate4: 'Satisfied',
  rate5: 'Very satisfied',
  comment: 'Comment (optional)',
  rateSend: 'Submit rating',
  rateLater: 'Not now',
  rated: 'Thank you for your rating: {label}',
  rateOpen: 'Rate this chat',
  emoji: 'Emoji',
  image: 'Send an image',
  file: 'Send a file',
  uploading: 'Uploading {n}%',
  held: 'Waiting for the agent to accept the file',
  refused: 'The agent did not accept this file',
  enlarge: 'Enlarge image',
  captchaTitle: 'Please type the characters in the image',
  captchaImage: 'Verification image',
  captchaAnswer: 'Characters in the image',
  captchaRefresh: 'New image',
  captchaSend: 'Continue',
  captchaCancel: 'Cancel',
  captchaWrong: 'Wrong characters. Please try this new image.',
  save: 'Save the conversation',
  chooseEntry: 'Who would you like to talk to?',
};
export type Key = keyof typeof en;

/** Form item labels (PRECHAT-FIELDS-3, LEAVESET-INFO-5). */
const fieldsEn = {
  name: 'Name', questionType: 'Question type', email: 'E-mail', phone: 'Landline', mobile: 'Mobile', company: 'Company', title: 'Salutation',
  website: 'Website', qq: 'QQ', wechat: 'MSN', gender: 'Gender', idNumber: 'ID number', orderNumber: 'Order number', address: 'Address',
  subject: 'Subject', content: 'Message',
};
const fieldCatalogue: Record<string, Record<string, string>> = {
  en: fieldsEn,
  'zh-CN': { name: '姓名', questionType: '问题类型', email: 'E_mail', phone: '固话', mobile: '手机', company: '公司名称', title: '称呼', website: '网址', qq: 'QQ', wechat: 'MSN', gender: '性别', idNumber: '身份证', orderNumber: '订单号', address: '地址', subject: '留言主题', content: '留言内容' },
  'zh-TW': { name: '姓名', questionType: '問題類型', email: 'E_mail', phone: '市話', mobile: '手機', company: '公司名稱', title: '稱呼', website: '網址', qq: 'QQ', wechat: 'MSN', gender: '性別', idNumber: '身分證', orderNumber: '訂單號', address: '地址', subject: '留言主題', content: '留言內容' },
  ja: { name: 'お名前', questionType: 'お問い合わせ種別', email: 'メール', phone: '固定電話', mobile: '携帯電話', company: '会社名', title: '敬称', website: 'ウェブサイト', qq: 'QQ', wechat: 'MSN', gender: '性別', idNumber: '身分証番号', orderNumber: '注文番号', address: '住所', subject: '件名', content: 'メッセージ' },
  ko: { name: '이름', questionType: '문의 유형', email: '이메일', phone: '유선 전화', mobile: '휴대폰', company: '회사명', title: '호칭', website: '웹사이트', qq: 'QQ', wechat: 'MSN', gender: '성별', idNumber: '신분증 번호', orderNumber: '주문 번호', address: '주소', subject: '제목', content: '메시지' },
};

const catalogue: Record<string, Record<Key, string>> = {
  en,
  'zh-CN': {
    title: '在线客服', welcome: '您好！关于订单或商品有任何问题，我们随时为您服务。', start: '开始咨询', connecting: '正在连接…',
    offline: '网络已断开：恢复连接后将自动发送您的消息。', unavailable: '在线客服暂时不可用。', queue: '您前面还有 {n} 位（含您），客服马上就来。',
    waiting: '正在等待客服…', serving: '{name} 为您服务', ended: '本次对话已结束，谢谢！', restart: '开始新的对话',
    placeholder: '输入消息，按 Enter 发送', input: '您的消息', send: '发送', end: '结束对话', close: '最小化聊天窗口', messages: '对话内容',
    you: '我', agent: '客服', sending: '发送中…', sent: '已发送', failed: '发送失败',
    leave: '留言', submit: '提交', back: '返回', requiredNote: '注:带*号的为必填项', choose: '请选择', required: '请填写此项',
    invalid_email: '请输入正确的邮箱地址', invalid_phone: '请输入正确的电话号码', too_long: '内容过长', contact: '请至少填写一种联系方式（手机、固话、邮箱或 QQ）',
    rateTitle: '您对本次服务满意吗？', rate1: '非常不满意', rate2: '不满意', rate3: '一般', rate4: '满意', rate5: '非常满意', comment: '评价内容（选填）',
    rateSend: '提交评价', rateLater: '以后再说', rated: '感谢您的评价：{label}', rateOpen: '评价本次服务', emoji: '表情', image: '发送图片',
    file: '发送文件', uploading: '正在上传 {n}%', held: '等待客服接收文件', refused: '客服未接收此文件', enlarge: '查看大图',
    captchaTitle: '请输入图片中的字符', captchaImage: '验证码图片', captchaAnswer: '图片中的字符', captchaRefresh: '换一张', captchaSend: '继续', captchaCancel: '取消', captchaWrong: '字符不正确，请按新图片重新输入。', save: '保存对话记录', chooseEntry: '请选择咨询对象',
  },
  'zh-TW': {
    title: '線上客服', welcome: '您好！關於訂單或商品有任何問題，我們隨時為您服務。', start: '開始諮詢', connecting: '正在連線…',
    offline: '網路已中斷：恢復連線後將自動傳送您的訊息。', unavailable: '線上客服暫時無法使用。', queue: '您目前排在第 {n} 位，客服馬上就來。',
    waiting: '正在等待客服…', serving: '{name} 為您服務', ended: '本次對話已結束，謝謝！', restart: '開始新的對話',
    placeholder: '輸入訊息，按 Enter 傳送', input: '您的訊息', send: '傳送', end: '結束對話', close: '最小化聊天視窗', messages: '對話內容',
    you: '我', agent: '客服', sending: '傳送中…', sent: '已傳送', failed: '傳送失敗',
    leave: '留言', submit: '提交', back: '返回', requiredNote: '註:帶*號的為必填項', choose: '請選擇', required: '請填寫此項',
    invalid_email: '請輸入正確的電子郵件地址', invalid_phone: '請輸入正確的電話號碼', too_long: '內容過長', contact: '請至少填寫一種聯絡方式（手機、市話、電子郵件或 QQ）',
    rateTitle: '您對本次服務滿意嗎？', rate1: '非常不滿意', rate2: '不滿意', rate3: '普通', rate4: '滿意', rate5: '非常滿意', comment: '評價內容（選填）',
    rateSend: '提交評價', rateLater: '以後再說', rated: '感謝您的評價：{label}', rateOpen: '評價本次服務', emoji: '表情符號', image: '傳送圖片',
    file: '傳送檔案', uploading: '正在上傳 {n}%', held: '等待客服接收檔案', refused: '客服未接收此檔案', enlarge: '查看大圖',
    captchaTitle: '請輸入圖片中的字元', captchaImage: '驗證碼圖片', captchaAnswer: '圖片中的字元', captchaRefresh: '換一張', captchaSend: '繼續', captchaCancel: '取消', captchaWrong: '字元不正確，請依新圖片重新輸入。', save: '儲存對話記錄', chooseEntry: '請選擇諮詢對象',
  },
  ja: {
    title: 'カスタマーサポート', welcome: 'こんにちは。ご注文や商品についてお気軽にご相談ください。', start: 'チャットを開始', connecting: '接続中…',
    offline: 'オフラインです。接続が戻るとメッセージが送信されます。', unavailable: '現在チャットはご利用いただけません。', queue: '現在 {n} 番目にお待ちいただいています。',
    waiting: '担当者を待っています…', serving: '{name} が対応しています', ended: 'チャットは終了しました。ありがとうございました。', restart: '新しいチャットを開始',
    placeholder: 'メッセージを入力して Enter で送信', input: 'メッセージ', send: '送信', end: 'チャットを終了', close: 'チャットを最小化', messages: '会話',
    you: 'あなた', agent: '担当者', sending: '送信中…', sent: '送信済み', failed: '送信できませんでした',
    leave: 'メッセージを残す', submit: '送信', back: '戻る', requiredNote: '* は必須項目です', choose: '選択してください', required: 'この項目は必須です',
    invalid_email: '正しいメールアドレスを入力してください', invalid_phone: '正しい電話番号を入力してください', too_long: '長すぎます', contact: '連絡先を少なくとも 1 つ入力してください（携帯・固定電話・メール・QQ）',
    rateTitle: '今回の対応はいかがでしたか？', rate1: 'とても不満', rate2: '不満', rate3: '普通', rate4: '満足', rate5: 'とても満足', comment: 'コメント（任意）',
    rateSend: '評価を送信', rateLater: 'あとで', rated: '評価ありがとうございました：{label}', rateOpen: 'このチャットを評価', emoji: '絵文字', image: '画像を送信',
    file: 'ファイルを送信', uploading: 'アップロード中 {n}%', held: '担当者がファイルを受け取るのを待っています', refused: '担当者はこのファイルを受け取りませんでした', enlarge: '画像を拡大',
    captchaTitle: '画像の文字を入力してください', captchaImage: '認証画像', captchaAnswer: '画像の文字', captchaRefresh: '別の画像', captchaSend: '続ける', captchaCancel: 'キャンセル', captchaWrong: '文字が違います。新しい画像で入力してください。', save: '会話を保存', chooseEntry: 'お問い合わせ先を選んでください',
  },
  ko: {
    title: '고객 상담', welcome: '안녕하세요! 주문이나 상품에 대해 궁금한 점이 있으면 언제든지 문의하세요.', start: '상담 시작', connecting: '연결 중…',
    offline: '오프라인입니다. 연결되면 메시지가 전송됩니다.', unavailable: '지금은 상담을 이용할 수 없습니다.', queue: '대기 순서: {n}번째입니다. 곧 상담원이 연결됩니다.',
    waiting: '상담원을 기다리는 중…', serving: '{name} 상담원이 도와드립니다', ended: '상담이 종료되었습니다. 감사합니다!', restart: '새 상담 시작',
    placeholder: '메시지를 입력하고 Enter를 누르세요', input: '메시지', send: '보내기', end: '상담 종료', close: '채팅 최소화', messages: '대화',
    you: '나', agent: '상담원', sending: '전송 중…', sent: '전송됨', failed: '전송 실패',
    leave: '메시지 남기기', submit: '제출', back: '뒤로', requiredNote: '* 표시는 필수 항목입니다', choose: '선택하세요', required: '이 항목을 입력하세요',
    invalid_email: '올바른 이메일 주소를 입력하세요', invalid_phone: '올바른 전화번호를 입력하세요', too_long: '너무 깁니다', contact: '연락처를 하나 이상 입력하세요 (휴대폰, 전화, 이메일 또는 QQ)',
    rateTitle: '이번 상담에 만족하셨나요?', rate1: '매우 불만족', rate2: '불만족', rate3: '보통', rate4: '만족', rate5: '매우 만족', comment: '의견 (선택)',
    rateSend: '평가 제출', rateLater: '나중에', rated: '평가해 주셔서 감사합니다: {label}', rateOpen: '상담 평가하기', emoji: '이모지', image: '이미지 보내기',
    file: '파일 보내기', uploading: '업로드 중 {n}%', held: '상담원이 파일을 받기를 기다리는 중', refused: '상담원이 이 파일을 받지 않았습니다', enlarge: '이미지 확대',
    captchaTitle: '이미지의 문자를 입력하세요', captchaImage: '인증 이미지', captchaAnswer: '이미지의 문자', captchaRefresh: '새 이미지', captchaSend: '계속', captchaCancel: '취소', captchaWrong: '문자가 틀렸습니다. 새 이미지로 다시 입력하세요.', save: '대화 저장', chooseEntry: '상담 대상을 선택하세요',
  },
};

let current = 'en';
export const setLanguage = (l: string) => (current = pickLanguage(l));
export const language = () => current;
export function t(key: Key, vars: Record<string, string | number> = {}): string {
  return (catalogue[current] || en)[key].replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));
}
export const fieldLabel = (key: string) => (fieldCatalogue[current] || fieldsEn)[key] || fieldsEn[key as keyof typeof fieldsEn] || key;
