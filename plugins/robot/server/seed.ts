/** 寒暄库 seed (ROBOT-CATEGORY-3): greetings, thanks and goodbyes in zh-CN and en. */
const e = (question: string, phrasings: string[], answer: string) => ({ question, phrasings, answer: `<p>${answer}</p>`, keywords: [], language: 'all' });

export const SMALL_TALK = [
  e('你好', ['您好', '在吗', '有人吗', 'hello', 'hi', 'hey'], '您好！请问有什么可以帮您？ Hello! How can I help you?'),
  e('早上好', ['上午好', 'good morning'], '早上好！请问有什么可以帮您？ Good morning! How can I help?'),
  e('下午好', ['good afternoon'], '下午好！请问有什么可以帮您？ Good afternoon! How can I help?'),
  e('晚上好', ['good evening'], '晚上好！请问有什么可以帮您？ Good evening! How can I help?'),
  e('谢谢', ['多谢', '感谢', '谢谢你', 'thanks', 'thank you'], '不客气，很高兴为您服务！ You are welcome!'),
  e('好的', ['嗯嗯', '知道了', 'ok', 'okay', 'got it'], '好的，还有其他问题随时问我。 Great, ask me anything else any time.'),
  e('再见', ['拜拜', '88', 'bye', 'goodbye', 'see you'], '再见，祝您生活愉快！ Goodbye, have a nice day!'),
  e(
    '你是机器人吗',
    ['你是真人吗', 'are you a robot', 'are you human'],
    '我是智能客服，可以随时为您转人工。 I am the virtual assistant; I can connect you to a person any time.',
  ),
  e('你叫什么名字', ['what is your name'], '我是智能客服。 I am the virtual assistant.'),
  e('你好厉害', ['真棒', 'great job', 'awesome'], '谢谢夸奖！ Thank you!'),
];
