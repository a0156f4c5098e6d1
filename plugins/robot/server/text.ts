import { createRequire } from 'node:module';
import * as OpenCC from 'opencc-js/t2cn';

/**
 * Text pipeline of ROBOT-MATCH-8: normalisation (full→half width, case fold,
 * traditional→simplified, punctuation/emoji removed, whitespace collapsed) and
 * tokenisation (jieba for Chinese runs, lower-case words for other scripts).
 */
const require = createRequire(import.meta.url);
const { Jieba } = require('@node-rs/jieba') as typeof import('@node-rs/jieba');
const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };

const jieba = Jieba.withDict(dict);
const added = new Set<string>();
const toSimplified: (s: string) => string = ((OpenCC as any).default ?? OpenCC).Converter({ from: 'tw', to: 'cn' });

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const CJK_RUN = /[\u3400-\u9fff\uf900-\ufaff]+|[\p{L}\p{N}]+/gu;

export function normalize(s: string): string {
  return toSimplified(s.normalize('NFKC').toLowerCase())
    .replace(/[\p{P}\p{S}\p{Extended_Pictographic}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Words a company uses (synonyms, related words) join the segmenter's dictionary so they stay whole. */
export function addWords(words: Iterable<string>) {
  const lines: string[] = [];
  for (const w of words) {
    const n = normalize(w);
    if (!n || added.has(n) || !CJK.test(n) || n.includes(' ')) continue;
    added.add(n);
    lines.push(`${n} 50000`);
  }
  if (lines.length) jieba.loadDict(Buffer.from(lines.join('\n') + '\n'));
}

const ZH_STOP = new Set(
  '的 了 吗 呢 吧 啊 呀 哦 嗯 么 我 你 您 他 她 它 我们 你们 是 在 有 和 与 就 都 也 还 要 想 请问 请 一下 下 怎么 怎样 如何 怎么样 什么 可以 能 能不能 可不可以 会 吗 这个 那个 这 那 个 一个 给 把 被 让 得 地 着 过 呀 哈 嘛 呗 啦 该 需要 是不是 有没有 为什么 为啥 多少 几 哪 哪里 哪儿'.split(
    ' ',
  ),
);
const EN_STOP = new Set(
  'a an the i me my we our you your is are was were be been am do does did can could would should will shall to of in on at for from by with and or it its this that these those there here how what please any some have has had get got just not no so if about as into up out want need like know tell take make also still too very much really thing something anything one im ive id dont cant doesnt isnt wont s t d ll ve re m'.split(
    ' ',
  ),
);

/** Light English stemming: plurals and common verb endings, so "refunds"/"refunded"/"refunding" meet. */
function stem(w: string): string {
  if (w.length <= 3 || /\d/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) return w.slice(0, -3) + 'y';
  if (w.endsWith('ing') && w.length > 5) return w.slice(0, -3).replace(/(.)\1$/, '$1');
  if (w.endsWith('ed') && w.length > 4) return w.slice(0, -2).replace(/(.)\1$/, '$1');
  if (w.endsWith('es') && /(ss|sh|ch|x)es$/.test(w)) return w.slice(0, -2);
  if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us')) return w.slice(0, -1);
  return w;
}

/** Tokens of already-normalised text; stop words dropped unless nothing else is left. */
export function tokenize(normalized: string): string[] {
  const out: string[] = [];
  const all: string[] = [];
  for (const m of normalized.matchAll(CJK_RUN)) {
    const run = m[0];
    if (CJK.test(run[0])) {
      for (const w of jieba.cutForSearch(run, true)) {
        const t = w.trim();
        if (!t) continue;
        all.push(t);
        if (!ZH_STOP.has(t)) out.push(t);
      }
    } else {
      const t = stem(run);
      all.push(t);
      if (!EN_STOP.has(run) && run.length > 1) out.push(t);
    }
  }
  return out.length ? out : all;
}

/** Character bigrams of the Chinese runs: a weak field that survives segmentation differences. */
export function cjkBigrams(normalized: string): string[] {
  const out: string[] = [];
  for (const m of normalized.matchAll(/[\u3400-\u9fff\uf900-\ufaff]+/gu)) {
    const r = [...m[0]].filter((c) => !ZH_STOP.has(c));
    for (let i = 0; i + 1 < r.length; i++) out.push(r[i] + r[i + 1]);
  }
  return out;
}

export const hasCjk = (s: string) => CJK.test(s);

/** ROBOT-KEYWORDS-7: whole word for Latin script, substring for CJK (both normalised). */
export function containsKeyword(normalizedText: string, normalizedKeyword: string): boolean {
  if (!normalizedKeyword) return false;
  if (hasCjk(normalizedKeyword)) return normalizedText.includes(normalizedKeyword);
  return ` ${normalizedText} `.includes(` ${normalizedKeyword} `);
}
