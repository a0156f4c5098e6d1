import { i18n } from '@/i18n';

/** Date and time in the console language and the browser's time zone; "—" for none. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return i18n.global.t('common.states.none');
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(i18n.global.locale.value, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return i18n.global.t('common.states.none');
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(i18n.global.locale.value, { dateStyle: 'medium' }).format(date);
}

/** A duration such as "2 h 05 min" (or "45 s"), for sign-in lengths. */
export function formatDuration(fromIso: string, toIso: string): string {
  const { t } = i18n.global;
  const seconds = Math.max(0, Math.round((new Date(toIso).getTime() - new Date(fromIso).getTime()) / 1000));
  if (!Number.isFinite(seconds)) return t('common.states.none');
  if (seconds < 60) return t('common.duration.seconds', { n: seconds });
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return t('common.duration.minutes', { n: minutes });
  return t('common.duration.hours', { h: Math.floor(minutes / 60), m: String(minutes % 60).padStart(2, '0') });
}
