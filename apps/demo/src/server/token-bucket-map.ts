/** Settings of a {@link TokenBucketMap}. */
export interface TokenBucketSettings {
  /** Tokens a fresh key starts with, and the most it can save up. */
  capacity: number;
  /** Tokens added back per second. */
  refillPerSecond: number;
  /** Keys kept; the least recently used goes first. */
  maxKeys: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets per key (client address, tenant) in a bounded LRU map, for the server's own
 * throttles. `limits`' rate limiter only consumes when there is room; these throttles need to look
 * before the work (`retryAfterMs`) and charge its measured cost after (`charge`), which may run the
 * bucket into debt: a 1 MiB bad body costs more than one token. An evicted key starts full again,
 * so `maxKeys` bounds memory, not protection, under a flood from many addresses.
 */
export class TokenBucketMap {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly settings: TokenBucketSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** 0 while the key has tokens; otherwise how long until it has one again. */
  retryAfterMs(key: string): number {
    const bucket = this.refilled(key, false);
    if (!bucket || bucket.tokens > 0) return 0;
    return Math.ceil(((1 - bucket.tokens) / this.settings.refillPerSecond) * 1000);
  }

  /** Takes `cost` tokens (into debt if need be). */
  charge(key: string, cost: number): void {
    const bucket = this.refilled(key, true)!;
    bucket.tokens -= cost;
  }

  get size(): number {
    return this.buckets.size;
  }

  private refilled(key: string, create: boolean): Bucket | undefined {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (bucket) {
      bucket.tokens = Math.min(this.settings.capacity, bucket.tokens + ((now - bucket.at) / 1000) * this.settings.refillPerSecond);
      bucket.at = now;
      // Re-insert: Map keeps insertion order, so the first key is the least recently used.
      this.buckets.delete(key);
      if (bucket.tokens >= this.settings.capacity) {
        if (!create) return undefined;
      }
      this.buckets.set(key, bucket);
      return bucket;
    }
    if (!create) return undefined;
    bucket = { tokens: this.settings.capacity, at: now };
    this.buckets.set(key, bucket);
    while (this.buckets.size > this.settings.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    return bucket;
  }
}
