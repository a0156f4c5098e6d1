import type { IconBody } from './icon-schemas.ts';

const LABEL: Record<string, [string, string]> = {
  'zh-CN': ['在线咨询', '给我们留言'],
  'zh-TW': ['線上諮詢', '給我們留言'],
  en: ['Chat online', 'Leave a message'],
  ja: ['チャット', 'メッセージ'],
  ko: ['상담하기', '메시지 남기기'],
};
const OFFLINE_GREY = '#8c8c8c';
const esc = (s: string) => s.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
/** Rendered width of a label at 14 px: wide (CJK, kana, hangul) characters take a full em, others about half. */
const textWidth = (s: string) => [...s].reduce((w, ch) => w + ((ch.codePointAt(0) ?? 0) >= 0x2e80 ? 14 : 8), 0);

/** A 20 px glyph at (x, y): a speech bubble while someone serves, an envelope (leave a message) otherwise. */
function glyph(x: number, y: number, online: boolean, color: string): string {
  return online
    ? `<path transform="translate(${x} ${y})" fill="${color}" d="M3 3h14a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H9l-4 4v-4H3a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"/>`
    : `<g transform="translate(${x} ${y})" fill="none" stroke="${color}" stroke-width="2"><rect x="1" y="4" width="18" height="13" rx="2"/><path d="M1 6l9 6 9-6"/></g>`;
}

const text = (x: number, y: number, label: string, color: string, anchor = 'middle') =>
  `<text x="${x}" y="${y}" font-size="14" font-family="sans-serif" fill="${color}" text-anchor="${anchor}">${esc(label)}</text>`;

const svg = (w: number, h: number, label: string, body: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(label)}">${body}</svg>`;

type Draw = (label: string, online: boolean, fill: string) => string;

/**
 * ICON-IMAGE-4: the eight built-in looks, in the order the console offers them.
 * Each has an online and an offline look (grey, with a leave-message glyph).
 */
const STYLES: Draw[] = [
  // 1 button: rounded corners, glyph and words.
  (label, online, fill) => {
    const w = 48 + textWidth(label);
    return svg(w, 40, label, `<rect width="${w}" height="40" rx="4" fill="${fill}"/>${glyph(12, 10, online, '#fff')}${text(38, 25, label, '#fff', 'start')}`);
  },
  // 2 pill: fully rounded, words only.
  (label, _online, fill) => {
    const w = 40 + textWidth(label);
    return svg(w, 40, label, `<rect width="${w}" height="40" rx="20" fill="${fill}"/>${text(w / 2, 25, label, '#fff')}`);
  },
  // 3 square: sharp corners, glyph and words.
  (label, online, fill) => {
    const w = 48 + textWidth(label);
    return svg(w, 40, label, `<rect width="${w}" height="40" fill="${fill}"/>${glyph(12, 10, online, '#fff')}${text(38, 25, label, '#fff', 'start')}`);
  },
  // 4 outline: white with a coloured border and coloured words.
  (label, online, fill) => {
    const w = 48 + textWidth(label);
    return svg(
      w,
      40,
      label,
      `<rect x="1" y="1" width="${w - 2}" height="38" rx="6" fill="#fff" stroke="${fill}" stroke-width="2"/>${glyph(12, 10, online, fill)}${text(38, 25, label, fill, 'start')}`,
    );
  },
  // 5 side tab, for icons at the page's left or right middle: CJK words stacked, others turned a quarter.
  (label, online, fill) => {
    const chars = [...label];
    const stacked = chars.some((ch) => (ch.codePointAt(0) ?? 0) >= 0x2e80);
    const h = 52 + (stacked ? chars.length * 18 : textWidth(label));
    const words = stacked
      ? chars.map((ch, i) => text(20, 54 + i * 18, ch, '#fff')).join('')
      : `<g transform="rotate(90 20 40)">${text(20, 45, label, '#fff', 'start')}</g>`;
    return svg(40, h, label, `<rect width="40" height="${h}" rx="6" fill="${fill}"/>${glyph(10, 10, online, '#fff')}${words}`);
  },
  // 6 split: a coloured block with the glyph, the words on a white field beside it.
  (label, online, fill) => {
    const w = 56 + textWidth(label);
    return svg(
      w,
      40,
      label,
      `<rect x="1" y="1" width="${w - 2}" height="38" rx="4" fill="#fff" stroke="${fill}" stroke-width="2"/><rect width="40" height="40" rx="4" fill="${fill}"/>${glyph(10, 10, online, '#fff')}${text(48, 25, label, fill, 'start')}`,
    );
  },
  // 7 speech bubble: a bubble with a tail at its lower left.
  (label, _online, fill) => {
    const w = 40 + textWidth(label);
    return svg(
      w,
      50,
      label,
      `<rect width="${w}" height="40" rx="12" fill="${fill}"/><path d="M14 38l0 12 12-12z" fill="${fill}"/>${text(w / 2, 25, label, '#fff')}`,
    );
  },
  // 8 round badge: a circle with the glyph, the words under it.
  (label, online, fill) => {
    const w = Math.max(64, 8 + textWidth(label));
    return svg(w, 84, label, `<circle cx="${w / 2}" cy="28" r="28" fill="${fill}"/>${glyph(w / 2 - 10, 18, online, '#fff')}${text(w / 2, 78, label, fill)}`);
  },
];

/**
 * ICON-IMAGE-4, ICON-CODE-2: the script-less icon image, drawn as SVG in the
 * theme colour (grey while offline) with the words of the icon's language.
 */
export function iconSvg(icon: Pick<IconBody, 'language' | 'style' | 'text'>, online: boolean, color: string): string {
  const lang = icon.language === 'auto' ? 'zh-CN' : icon.language;
  const texts = online ? icon.text.online : icon.text.offline;
  const label = texts[lang as keyof typeof texts] ?? LABEL[lang]![online ? 0 : 1];
  const draw = STYLES[icon.style - 1] ?? STYLES[0];
  return draw(label, online, online ? color : OFFLINE_GREY);
}
