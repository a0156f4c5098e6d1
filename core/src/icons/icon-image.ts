import type { IconBody } from './icon-schemas.ts';

const LABEL: Record<string, [string, string]> = {
  'zh-CN': ['在线咨询', '给我们留言'],
  'zh-TW': ['線上諮詢', '給我們留言'],
  en: ['Chat online', 'Leave a message'],
  ja: ['チャット', 'メッセージ'],
  ko: ['상담하기', '메시지 남기기'],
};
const esc = (s: string) => s.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * ICON-IMAGE-4, ICON-CODE-2: the script-less icon image, drawn as SVG in the
 * theme colour (grey while offline); the built-in style picks the shape.
 */
export function iconSvg(icon: Pick<IconBody, 'language' | 'style' | 'text'>, online: boolean, color: string): string {
  const lang = icon.language === 'auto' ? 'zh-CN' : icon.language;
  const texts = online ? icon.text.online : icon.text.offline;
  const label = texts[lang as keyof typeof texts] ?? LABEL[lang]![online ? 0 : 1];
  const fill = online ? color : '#8c8c8c';
  const radius = [0, 20, 4, 0, 20, 4, 12, 8][icon.style - 1];
  const width = 32 + [...label].length * 14;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="40" viewBox="0 0 ${width} 40" role="img" aria-label="${esc(label)}"><rect width="${width}" height="40" rx="${radius}" fill="${fill}"/><text x="${width / 2}" y="25" font-size="14" font-family="sans-serif" fill="#fff" text-anchor="middle">${esc(label)}</text></svg>`;
}
