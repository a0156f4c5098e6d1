/**
 * CONV-TRANSCRIPT-40 (保存记录): the conversation so far as a text file, built from
 * the messages shown in the window, so it holds exactly what the visitor saw.
 */
import { t } from './i18n.ts';
import { el } from './view.ts';

export function transcriptText(): string {
  const lines = [...el.list.querySelectorAll<HTMLElement>('.msg')].map((li) => {
    const time = li.dataset.time ? new Date(li.dataset.time).toLocaleString() : '';
    const who = li.classList.contains('visitor') ? t('you') : li.querySelector('.name')?.textContent || '';
    const text = (li.querySelector('.text') as HTMLElement | null)?.innerText.trim() ?? '';
    return `${[time, who].filter(Boolean).join(' ')}${who || time ? '\n' : ''}${text}`;
  });
  return `${el.title.textContent}\n\n${lines.join('\n\n')}\n`;
}

export function downloadTranscript(conversationId: number) {
  const url = URL.createObjectURL(new Blob([transcriptText()], { type: 'text/plain;charset=utf-8' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: `chat-${conversationId}.txt` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
