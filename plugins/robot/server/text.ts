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
// Chinese runs, and runs of other letters/digits; a digit next to Chinese text starts its own run ("分12期").
const CJK_RUN = /[\u3400-\u9fff\uf900-\ufaff]+|(?:(?![\u3400-\u9fff\uf900-\ufaff])[\p{L}\p{N}])+/gu;

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
  '的 了 吗 呢 吧 啊 呀 哦 嗯 么 我 你 您 他 她 它 我们 你们 是 在 有 和 与 就 都 也 还 要 想 请问 请 一下 下 怎么 怎样 如何 怎么样 什么 可以 能 能不能 可不可以 会 吗 这个 那个 这 那 个 一个 给 把 被 让 得 地 着 过 呀 哈 嘛 呗 啦 该 需要 是不是 有没有 为什么 为啥 多少 几 哪 哪里 哪儿 怎么办 咋 咋办 啥 干嘛 但是 可是 不过 时 时候 说 再 只 刚 刚刚 已经 一直 这样 那样 一些 有点 我的 你的 你们的'.split(
    ' ',
  ),
);
const EN_STOP = new Set(
  'a an the i me my we our you your is are was were be been am do does did can could would should will shall to of in on at for from by with and or it its this that these those there here how what please any some have has had get got just not no so if about as into up out want need like know tell take make also still too very much really thing something anything one im ive id dont cant doesnt isnt wont s t d ll ve re m when where why which who whom whose many until than then again already yet ever all more most other another such only they them their he she his her us let lets ok okay hasn haven didn wasn aren couldn shouldn wouldn'.split(
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

export interface Analyzed {
  /** Words: jieba for Chinese, stemmed lower-case words otherwise; stop words out unless nothing else is left. */
  words: string[];
  /**
   * Characters and character bigrams of the Chinese words, not across a stop word: a field that
   * survives segmentation differences and partial words (修改 vs 改, 申请退款 vs 退款).
   */
  grams: string[];
}

const addGrams = (span: string, out: string[]) => {
  const c = [...span];
  out.push(...c);
  for (let i = 0; i + 1 < c.length; i++) out.push(c[i] + c[i + 1]);
};

/** Words and character grams of already-normalised text. */
export function analyze(normalized: string): Analyzed {
  const words: string[] = [];
  const all: string[] = [];
  const out: string[] = [];
  const allGrams: string[] = [];
  for (const m of normalized.matchAll(CJK_RUN)) {
    const run = m[0];
    if (CJK.test(run[0])) {
      let span = '';
      // Dictionary words only (no HMM guesses like 能用/买手): the grams cover unknown words.
      for (const w of jieba.cut(run, false)) {
        const t = w.trim();
        if (!t) continue;
        all.push(t);
        if (ZH_STOP.has(t)) {
          addGrams(span, out);
          span = '';
        } else {
          words.push(t);
          span += t;
        }
      }
      addGrams(span, out);
      addGrams(run, allGrams);
    } else {
      const t = stem(run);
      all.push(t);
      if (!EN_STOP.has(run) && run.length > 1) words.push(t);
    }
  }
  return { words: words.length ? words : all, grams: out.length ? out : allGrams };
}

export const tokenize = (normalized: string): string[] => analyze(normalized).words;

export const hasCjk = (s: string) => CJK.test(s);
