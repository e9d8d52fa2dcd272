interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * A bounded cache: entries expire `ttlMs` after they were set (lazily, on read: no timers) and the
 * least recently used entry is evicted beyond `maxSize`. A Map keeps recency order: a hit moves the
 * entry to the end, eviction takes the first.
 */
export class TtlLruCache<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #maxSize: number;
  readonly #ttlMs: number;
  readonly #now: () => number;
  /** Entries dropped because the cache was full. */
  evictions = 0;
  /** Entries dropped because they expired. */
  expirations = 0;

  constructor(maxSize: number, ttlMs: number, now: () => number) {
    this.#maxSize = maxSize;
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The live value, or undefined (a missing or expired entry). */
  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (this.#now() >= entry.expiresAt) {
      this.#entries.delete(key);
      this.expirations++;
      return undefined;
    }
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** True when a live entry exists (does not touch recency). */
  has(key: string): boolean {
    const entry = this.#entries.get(key);
    return entry !== undefined && this.#now() < entry.expiresAt;
  }

  set(key: string, value: V): void {
    if (this.#maxSize === 0 || this.#ttlMs === 0) return;
    const expiresAt = this.#now() + this.#ttlMs;
    const entry = this.#entries.get(key);
    if (entry !== undefined) {
      this.#entries.delete(key);
      entry.value = value;
      entry.expiresAt = expiresAt;
      this.#entries.set(key, entry);
      return;
    }
    this.#entries.set(key, { value, expiresAt });
    if (this.#entries.size > this.#maxSize) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) {
        this.#entries.delete(oldest.value);
        this.evictions++;
      }
    }
  }

  delete(key: string): boolean {
    return this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}
