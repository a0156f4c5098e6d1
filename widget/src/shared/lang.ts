/** zh-CN | zh-TW | en | ja | ko from any BCP 47 tag (shared by the loader and the frame). */
export function pickLanguage(tag: string | null | undefined): string {
  const l = (tag || '').toLowerCase();
  if (l.startsWith('zh')) return /tw|hk|mo|hant/.test(l) ? 'zh-TW' : 'zh-CN';
  for (const s of ['ja', 'ko', 'en']) if (l.startsWith(s)) return s;
  return 'en';
}
