/**
 * The keyword index of HISTORY-KEYWORD-2. A keyword must match as a substring, never
 * depending on word segmentation (SPEC P1B-A32: a segmenter keeps 退款 in 申请退款 but
 * loses 款了 or iphone1), so every message is indexed as the overlapping two-character
 * pieces of its folded text, with positions. A term is then the phrase of its own
 * pieces (`'退款'` alone, or `'ip' <-> 'ph' <-> … <-> '15'`), which PostgreSQL's GIN
 * index answers without scanning the company's messages, on PostgreSQL and PGlite alike.
 */

/** Full-width ASCII (Ａ, １, ＠) to half-width, the ideographic space to a space, then lower case. */
export function fold(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    const half = code >= 0xff01 && code <= 0xff5e ? String.fromCodePoint(code - 0xfee0) : code === 0x3000 ? ' ' : ch;
    const lower = half.toLowerCase();
    // Keeps one character per character, so offsets found in the folded text hold in the original.
    out += lower.length === half.length ? lower : half;
  }
  return out;
}

const quote = (lexeme: string) => `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
const chars = (s: string) => Array.from(s);
const pieces = (run: string[]) => run.slice(0, -1).map((c, i) => c + run[i + 1]);

/**
 * The tsvector literal of a text (cast with `::tsvector`): each whitespace-free run
 * gives its two-character pieces at consecutive positions, and runs are two positions
 * apart so a phrase never spans a space. Empty for null or one-character texts.
 */
export function searchTokens(text: string | null): string {
  if (!text) return '';
  const positions = new Map<string, number[]>();
  let pos = 1;
  for (const run of fold(text).split(/\s+/u)) {
    for (const piece of pieces(chars(run))) {
      // PostgreSQL keeps positions up to 16383; later pieces still count for matching by lexeme.
      const at = Math.min(pos++, 16383);
      const list = positions.get(piece);
      if (list) list.push(at);
      else positions.set(piece, [at]);
    }
    pos++;
  }
  return [...positions].map(([piece, at]) => `${quote(piece)}:${at.slice(0, 256).join(',')}`).join(' ');
}

/** What of a message is searchable: the text of visitor, agent and robot messages and file names, not system texts. */
export function messageSearchText(m: { senderKind: string; kind: string; text: string | null; payload?: Record<string, unknown> | null }): string | null {
  if (m.senderKind === 'system' || m.kind === 'system') return null;
  const name = m.kind === 'file' || m.kind === 'image' ? m.payload?.name : undefined;
  return [m.text, typeof name === 'string' ? name : null].filter(Boolean).join(' ') || null;
}

/** The tsquery literal (cast with `::tsquery`) that finds a term of at least two characters as a substring. */
export function termQuery(term: string): string {
  return pieces(chars(fold(term)))
    .map(quote)
    .join(' <-> ');
}

/** Splits a keyword into folded terms (spaces, including the ideographic one, separate terms). */
export const keywordTerms = (keyword: string) => fold(keyword).trim().split(/\s+/u).filter(Boolean);
