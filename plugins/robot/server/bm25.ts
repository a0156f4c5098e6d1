/** One BM25 field: documents of tokens, postings, per-document self score (the best a query can reach). */
export class Bm25Field {
  private docs: { owner: number; len: number; self: number }[] = [];
  private postings = new Map<string, { doc: number; tf: number }[]>();
  private avgdl = 1;

  constructor(
    private readonly k1 = 1.2,
    private readonly b = 0.75,
  ) {}

  add(owner: number, tokens: string[]) {
    const tf = new Map<string, number>();
    for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
    const doc = this.docs.length;
    this.docs.push({ owner, len: tokens.length, self: 0 });
    for (const [t, n] of tf) {
      let list = this.postings.get(t);
      if (!list) this.postings.set(t, (list = []));
      list.push({ doc, tf: n });
    }
  }

  /** Call once after the last add. */
  finish() {
    this.avgdl = this.docs.reduce((s, d) => s + d.len, 0) / Math.max(1, this.docs.length) || 1;
    for (const [t, list] of this.postings) for (const p of list) this.docs[p.doc].self += this.term(t, p.tf, this.docs[p.doc].len);
  }

  idf(t: string): number {
    const df = this.postings.get(t)?.length ?? 0;
    return Math.log(1 + (this.docs.length - df + 0.5) / (df + 0.5));
  }

  term(t: string, tf: number, len: number): number {
    return (this.idf(t) * (tf * (this.k1 + 1))) / (tf + this.k1 * (1 - this.b + (this.b * len) / this.avgdl));
  }

  /**
   * Per owner, the best similarity of its documents: score ÷ geometric mean of the document's
   * and the query's self scores, so 1.0 means the same words and extra or missing words on
   * either side lower it alike.
   */
  confidences(query: string[], allowed: (owner: number) => boolean): Map<number, number> {
    const qtf = new Map<string, number>();
    for (const t of query) qtf.set(t, (qtf.get(t) ?? 0) + 1);
    let qself = 0;
    for (const [t, n] of qtf) qself += this.term(t, n, query.length);
    const scores = new Map<number, number>();
    for (const [t] of qtf) for (const p of this.postings.get(t) ?? []) scores.set(p.doc, (scores.get(p.doc) ?? 0) + this.term(t, p.tf, this.docs[p.doc].len));
    const out = new Map<number, number>();
    for (const [di, s] of scores) {
      const d = this.docs[di];
      if (!allowed(d.owner)) continue;
      const conf = Math.min(1, s / (Math.sqrt(d.self * qself) || 1));
      if (conf > (out.get(d.owner) ?? 0)) out.set(d.owner, conf);
    }
    return out;
  }

  /**
   * Per owner, the share of the query's distinct terms (weighted by idf) that occur in any of its
   * documents: how much of the question the owner's vocabulary explains, whatever else it holds.
   * Meant for fields with one document per owner.
   */
  coverage(query: string[], allowed: (owner: number) => boolean): Map<number, number> {
    const terms = [...new Set(query)];
    const total = terms.reduce((s, t) => s + this.idf(t), 0) || 1;
    const out = new Map<number, number>();
    for (const t of terms) {
      const w = this.idf(t) / total;
      for (const p of this.postings.get(t) ?? []) {
        const o = this.docs[p.doc].owner;
        if (allowed(o)) out.set(o, (out.get(o) ?? 0) + w);
      }
    }
    return out;
  }
}
