import type { MessageView } from '../protocol/message-schemas.ts';

/**
 * The visitor's e-mailed transcript (CONV-TRANSCRIPT-40, written as CONV-EMAIL-39 says): plain text,
 * times in the company's time zone, agents by the nickname they had when writing (never their IDs),
 * files as links. The caller passes only what the visitor's window shows (never whispers).
 */
export interface TranscriptInput {
  company: string;
  timeZone: string;
  language: string;
  startedAt: string;
  messages: MessageView[];
  /** An absolute link valid 7 days for a file key, or null when the file cannot be offered. */
  fileLink: (key: string) => string | null;
}

const TEXTS = {
  zh: {
    subject: '{company} 对话记录 {date}',
    you: '您',
    agent: '客服',
    system: '系统',
    image: '图片',
    file: '文件',
    rating: '评价',
    links: '链接 7 天内有效。',
  },
  en: {
    subject: 'Chat transcript {date} · {company}',
    you: 'You',
    agent: 'Agent',
    system: 'System',
    image: 'Image',
    file: 'File',
    rating: 'Rating',
    links: 'Links are valid for 7 days.',
  },
};

const textsFor = (language: string) => (language.startsWith('zh') ? TEXTS.zh : TEXTS.en);

/** "2026-12-07 09:30:00" in the company's time zone. */
const stamp = (timeZone: string) => {
  const f = new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  return (iso: string) => f.format(new Date(iso));
};

function content(m: MessageView, l: (typeof TEXTS)['en'], fileLink: TranscriptInput['fileLink']): string {
  const p = m.payload ?? {};
  if (m.kind === 'image' || m.kind === 'file') {
    const link = typeof p.fileKey === 'string' && p.status !== 'refused' ? fileLink(p.fileKey) : null;
    return [`[${m.kind === 'image' ? l.image : l.file}]`, typeof p.name === 'string' ? p.name : '', link ?? ''].filter(Boolean).join(' ');
  }
  if (m.kind === 'rating' && typeof p.score === 'number')
    return [`[${l.rating}] ${p.score}/5`, m.text ?? (typeof p.comment === 'string' ? p.comment : '')].filter(Boolean).join(' ');
  if (m.kind === 'form' && p.fields && typeof p.fields === 'object')
    return Object.entries(p.fields as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${String(v)}`)
      .join('\n');
  return m.text ?? '';
}

export function transcriptMail(input: TranscriptInput): { subject: string; body: string } {
  const l = textsFor(input.language);
  const time = stamp(input.timeZone);
  const date = time(input.startedAt).slice(0, 10);
  const subject = l.subject.replace('{company}', input.company).replace('{date}', date);
  const lines = input.messages
    .map((m) => {
      const text = content(m, l, input.fileLink);
      if (!text) return null;
      const who = m.senderKind === 'visitor' ? l.you : m.senderKind === 'system' ? l.system : m.senderName || l.agent;
      return `[${time(m.createdAt)}] ${who}:\n${text}`;
    })
    .filter((s): s is string => s !== null);
  const hasFiles = input.messages.some((m) => m.kind === 'image' || m.kind === 'file');
  return { subject, body: `${subject}\n\n${lines.join('\n\n')}\n${hasFiles ? `\n${l.links}\n` : ''}` };
}
