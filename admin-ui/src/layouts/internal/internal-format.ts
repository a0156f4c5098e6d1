import { i18n } from '@/i18n';

/** A message time (INTERNAL-TIMES-4): the time of day today, with the date on other days. */
export function messageTime(iso: string, now = new Date()): string {
  const d = new Date(iso);
  const today = d.toDateString() === now.toDateString();
  return new Intl.DateTimeFormat(i18n.global.locale.value, today ? { timeStyle: 'short' } : { dateStyle: 'short', timeStyle: 'short' }).format(d);
}

/** 1.2 MB, 340 KB, 12 B. */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
