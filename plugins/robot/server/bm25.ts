interface Posting {
  docs: Int32Array;
  /** The term's BM25 weight in each of those documents, fixed once the field is finished. */
  weights: Float64Array;
}

/**
 * One BM25 field: documents of tokens, postings with precomputed weights, per-document self score
 * (the best a query can reach). Scores go into flat arrays, not maps: with 10,000 entries a common
 * Chinese character touches tens of thousands of documents per query (ROBOT-PERF-25).
 */
export class Bm25Field {
  private owners: number[] = [];
  private lens: number[] = [];
  private building = new Map<string, { docs: number[]; tf: number[] }>();
  private postings = new Map<string, Posting>();
  private self = new Float64Array(0);
  private avgdl = 1;
  /** Per-query scratch, reused: document scores and the documents touched. */
  private acc = new Float64Array(0);
  private touched = new Int32Array(0);
  /** Per-query scratch of confidences(): best similarity per owner, and the owners seen. */
  private best = new Float64Array(0);
  private bestOwners = new Int32Array(0);

  constructor(
    private readonly k1 = 1.2,
    private readonly b = 0.75,
  ) {}

  add(owner: number, tokens: string[]) {
    const tf = new Map<string, number>();
    for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
    const doc = this.owners.length;
    this.owners.push(owner);
    this.lens.push(tokens.length);
    for (const [t, n] of tf) {
      let list = this.building.get(t);
      if (!list) this.building.set(t, (list = { docs: [], tf: [] }));
      list.docs.push(doc);
      list.tf.push(n);
    }
  }

  /** Call once after the last add. */
  finish() {
    const n = this.owners.length;
    this.avgdl = this.lens.reduce((s, l) => s + l, 0) / Math.max(1, n) || 1;
    this.self = new Float64Array(n);
    this.acc = new Float64Array(n);
    this.touched = new Int32Array(n);
    const owners = this.owners.reduce((m, o) => Math.max(m, o + 1), 0);
    this.best = new Float64Array(owners);
    this.bestOwners = new Int32Array(owners);
    for (const [t, list] of this.building) {
      const idf = this.idfOf(list.docs.length);
      const weights = new Float64Array(list.docs.length);
      list.docs.forEach((d, i) => {
        weights[i] = this.term(idf, list.tf[i], this.lens[d]);
        this.self[d] += weights[i];
      });
      this.postings.set(t, { docs: Int32Array.from(list.docs), weights });
    }
    this.building.clear();
  }

  private idfOf(df: number): number {
    return Math.log(1 + (this.owners.length - df + 0.5) / (df + 0.5));
  }

  idf(t: string): number {
    return this.idfOf(this.postings.get(t)?.docs.length ?? 0);
  }

  private term(idf: number, tf: number, len: number): number {
    return (idf * (tf * (this.k1 + 1))) / (tf + this.k1 * (1 - this.b + (this.b * len) / this.avgdl));
  }

  /**
   * Sums each query term's weight per document (its BM25 weight there, or `flat(term)` for every
   * document); returns how many documents were touched.
   */
  private accumulate(terms: Iterable<string>, flat?: (t: string) => number): number {
    let touched = 0;
    for (const t of terms) {
      const p = this.postings.get(t);
      if (!p) continue;
      const w = flat?.(t);
      for (let i = 0; i < p.docs.length; i++) {
        const d = p.docs[i];
        if (this.acc[d] === 0) this.touched[touched++] = d;
        this.acc[d] += w ?? p.weights[i];
      }
    }
    return touched;
  }

  /**
   * Per owner, the best similarity of its documents, passed to `add`: score ÷ geometric mean of
   * the document's and the query's self scores, so 1.0 means the same words and extra or missing
   * words on either side lower it alike.
   */
  confidences(query: string[], allowed: (owner: number) => boolean, add: (owner: number, confidence: number) => void) {
    const qtf = new Map<string, number>();
    for (const t of query) qtf.set(t, (qtf.get(t) ?? 0) + 1);
    let qself = 0;
    for (const [t, n] of qtf) qself += this.term(this.idf(t), n, query.length);
    const touched = this.accumulate(qtf.keys());
    let owners = 0;
    for (let i = 0; i < touched; i++) {
      const d = this.touched[i];
      const owner = this.owners[d];
      const conf = Math.min(1, this.acc[d] / (Math.sqrt(this.self[d] * qself) || 1));
      this.acc[d] = 0;
      if (this.best[owner] === 0) this.bestOwners[owners++] = owner;
      if (conf > this.best[owner]) this.best[owner] = conf;
    }
    for (let i = 0; i < owners; i++) {
      const owner = this.bestOwners[i];
      if (allowed(owner)) add(owner, this.best[owner]);
      this.best[owner] = 0;
    }
  }

  /**
   * Per owner, the share of the query's distinct terms (weighted by idf) that occur in its
   * document, passed to `add`: how much of the question the owner's vocabulary explains, whatever
   * else it holds. Meant for fields with one document per owner.
   */
  coverage(query: string[], allowed: (owner: number) => boolean, add: (owner: number, coverage: number) => void) {
    const terms = new Set(query);
    let total = 0;
    for (const t of terms) total += this.idf(t);
    const touched = this.accumulate(terms, (t) => this.idf(t) / (total || 1));
    for (let i = 0; i < touched; i++) {
      const d = this.touched[i];
      const s = this.acc[d];
      this.acc[d] = 0;
      if (allowed(this.owners[d])) add(this.owners[d], s);
    }
  }
}
