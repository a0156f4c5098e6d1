/** A piece of message text: plain text, or a link to make clickable (CONV-RENDER-11). */
export type Segment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

// `www.` addresses count as links too (people type them without a scheme); they open over https.
const URL_PATTERN = /(?:\b(?:https?:\/\/|mailto:)|(?<![\w./@-])www\.)[^\s<>"'\u3000-\u303f\uff01-\uff5e]+/gi;
const TRAILING = /[.,;:!?)\]}>]+$/;

/** Only http, https and mailto become links; everything is rendered as text by the caller (never v-html). */
export function linkify(text: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    let raw = match[0];
    const trail = raw.match(TRAILING)?.[0] ?? '';
    raw = raw.slice(0, raw.length - trail.length);
    const start = match.index ?? 0;
    let href: string | null = null;
    try {
      const url = new URL(/^www\./i.test(raw) ? `https://${raw}` : raw);
      if (['http:', 'https:', 'mailto:'].includes(url.protocol)) href = url.href;
    } catch {
      href = null;
    }
    if (!href || raw.length <= 4) continue;
    if (start > last) out.push({ kind: 'text', text: text.slice(last, start) });
    out.push({ kind: 'link', text: raw, href });
    last = start + raw.length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}
