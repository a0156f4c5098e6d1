import type { HistoryRow } from '@/api/history';

type T = (key: string, values?: Record<string, unknown>) => string;

/** A transfer chain reads A → B (HISTORY-LIST-4). */
export const agentChain = (row: HistoryRow) => row.agents.map((a) => a.nickname ?? `#${a.id}`).join(' → ');

export function durationText(seconds: number | null, t: T): string {
  if (seconds == null) return t('common.states.none');
  if (seconds < 60) return t('common.duration.seconds', { n: seconds });
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? t('common.duration.minutes', { n: minutes }) : t('common.duration.hours', { h: Math.floor(minutes / 60), m: minutes % 60 });
}

/** The preview with its matching terms cut out for highlighting (HISTORY-KEYWORD-2). */
export function previewParts(preview: HistoryRow['preview']): { text: string; hit: boolean }[] {
  if (!preview) return [];
  const parts: { text: string; hit: boolean }[] = [];
  let at = 0;
  for (const h of [...preview.highlights].sort((a, b) => a.start - b.start)) {
    if (h.start < at) continue;
    if (h.start > at) parts.push({ text: preview.text.slice(at, h.start), hit: false });
    parts.push({ text: preview.text.slice(h.start, h.start + h.length), hit: true });
    at = h.start + h.length;
  }
  if (at < preview.text.length) parts.push({ text: preview.text.slice(at), hit: false });
  return parts;
}
