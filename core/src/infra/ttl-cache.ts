/**
 * A per-node cache of promises for settings read on hot paths. Entries live
 * `ttlMs` (the SPEC's "applies on every node within 5 seconds"); the node that
 * saves drops its own entry at once. A failed load is not kept.
 */
export class TtlCache<K, V> {
  private entries = new Map<K, { at: number; value: Promise<V> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly load: (key: K) => Promise<V>,
  ) {}

  get(key: K): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value;
    const value = this.load(key);
    this.entries.set(key, { at: Date.now(), value });
    value.catch(() => this.entries.delete(key));
    return value;
  }

  delete(key: K): void {
    this.entries.delete(key);
  }
}
