import test from 'ava';
import type { PluginChatMessage } from '@kefu/admin-ui/plugin';
import { entryFromChat } from '../admin/kb-from-chat.ts';

let id = 0;
const msg = (senderKind: string, text: string | null, kind = 'text'): PluginChatMessage => ({
  id: ++id,
  conversationId: 1,
  senderKind,
  kind,
  text,
  createdAt: new Date().toISOString(),
});
const chat = [
  msg('visitor', '发票能开公司抬头吗'),
  msg('agent', '可以'),
  msg('system', '客服已接入'),
  msg('visitor', '多久能收到'),
  msg('agent', '24 小时内'),
  msg('agent', '请留意邮箱'),
];

test('ROBOT-ADDCHAT-18 CONV-KB-23 selected visitor messages are the question, selected agent messages the answer', (t) => {
  t.deepEqual(entryFromChat([chat[0], chat[1], chat[2]], chat), { question: '发票能开公司抬头吗', answer: '可以' });
  t.deepEqual(entryFromChat([chat[4], chat[5]], chat), { question: '', answer: '24 小时内\n请留意邮箱' }, 'only an answer chosen');
  t.deepEqual(entryFromChat([chat[0]], chat), { question: '发票能开公司抬头吗', answer: '' }, 'only a question chosen');
});

test('ROBOT-ADDCHAT-18 CONV-KB-23 with nothing selected: the last visitor question and the first reply to it', (t) => {
  t.deepEqual(entryFromChat([], chat), { question: '多久能收到', answer: '24 小时内' });
  t.deepEqual(entryFromChat([chat[2]], chat), { question: '多久能收到', answer: '24 小时内' }, 'a selected system line counts as nothing');
  t.is(entryFromChat([], [msg('agent', '您好'), msg('visitor', '', 'text'), msg('visitor', null, 'image')]), null, 'no visitor question to add');
});
