import type { MessageView } from '../protocol/message-schemas.ts';
import type { HistoryRow } from './history-schemas.ts';

/** A conversation with what the export shows beyond the list row (HISTORY-EXPORT-10). */
export interface ExportConversation {
  row: HistoryRow;
  email: string | null;
  mobile: string | null;
  ip: string | null;
}

/** One sheet of an export: headers, then rows of text cells. */
export interface Table {
  headers: string[];
  rows: AsyncIterable<string[]>;
}

/**
 * A cell that a spreadsheet would run as a formula (= + - @, or a tab or CR that some
 * programs strip first) is written as text with a leading apostrophe (SPEC "Lists and exports").
 */
export const safeCell = (v: string | number | null | undefined): string => {
  const s = v == null ? '' : String(v);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
};

/** "2026-11-26 09:30:00" in the company's time zone: what a person reading the file expects. */
export const timeFormatter = (timeZone: string) => {
  const f = new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  return (iso: string | null) => (iso ? f.format(new Date(iso)) : '');
};

const zh = {
  list: [
    '对话ID',
    '开始时间',
    '结束时间',
    '访客ID',
    '访客',
    '客服',
    '分组',
    '渠道',
    '主题',
    '评估',
    '时长(秒)',
    '消息数',
    '地区',
    '发起方式',
    '结束原因',
    'E_mail',
    '手机',
    'IP',
    '备注',
  ],
  messages: ['对话ID', '时间', '发送方类型', '发送方', '消息类型', '内容'],
  valid: '有效',
  invalid: '无效',
  title: '对话记录',
};
const en = {
  list: [
    'Conversation ID',
    'Start',
    'End',
    'Visitor ID',
    'Visitor',
    'Agents',
    'Group',
    'Channel',
    'Topic',
    'Evaluation',
    'Duration (s)',
    'Messages',
    'Region',
    'Initiator',
    'End reason',
    'E-mail',
    'Mobile',
    'IP',
    'Note',
  ],
  messages: ['Conversation ID', 'Time', 'Sender kind', 'Sender', 'Message kind', 'Content'],
  valid: 'valid',
  invalid: 'invalid',
  title: 'Conversations',
};
export const exportLabels = (language: string | null) => (language?.startsWith('en') ? en : zh);
export type ExportLabels = typeof zh;

export const agentChain = (row: HistoryRow) => row.agents.map((a) => a.nickname ?? String(a.id)).join(' → ');

export function listCells(c: ExportConversation, time: (iso: string | null) => string, l: ExportLabels): string[] {
  const r = c.row;
  return [
    r.id,
    time(r.startedAt),
    time(r.endedAt),
    r.visitor.number,
    r.visitor.name,
    agentChain(r),
    r.group?.name,
    r.channel,
    r.topic,
    r.evaluation ? l[r.evaluation] : '',
    r.durationSeconds,
    r.messageCount,
    r.visitor.region,
    r.initiator,
    r.endReason,
    c.email,
    c.mobile,
    c.ip,
    r.note,
  ].map(safeCell);
}

/** Text, or the file name of a file or image message. */
export const messageContent = (m: MessageView) => m.text ?? (typeof m.payload?.name === 'string' ? m.payload.name : '');

export const messageCells = (m: MessageView, time: (iso: string | null) => string): string[] =>
  [m.conversationId, time(m.createdAt), m.senderKind, m.senderName, m.kind, messageContent(m)].map(safeCell);
