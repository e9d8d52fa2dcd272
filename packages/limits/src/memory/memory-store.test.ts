import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../rate-limit/rate-limiter';
import { slidingWindow } from '../rate-limit/rate-limit-config';
import { createMemoryStore } from './memory-store';

describe('createMemoryStore', () => {
  it('holds at most maxKeys per layout and forgets the least recently used', () => {
    const store = createMemoryStore({ maxKeys: 16 });
    const limiter = createRateLimiter({ limits: [slidingWindow(1, '1 h')] }, { store, now: () => 1_000 });
    limiter.consumeSync('hot');
    for (let index = 0; index < 40; index++) {
      limiter.consumeSync(`cold-${index}`);
      limiter.consumeSync('hot');
    }
    expect(store.stats()).toMatchObject({ keys: 16, layouts: 1, evictions: 25 });
    // The recently used key kept its state; an early one was forgotten and starts again.
    expect(limiter.consumeSync('hot').allowed).toBe(false);
    expect(limiter.consumeSync('cold-0').allowed).toBe(true);
  });

  it('delete and clear forget keys', () => {
    const store = createMemoryStore();
    const limiter = createRateLimiter({ prefix: 'p', limits: [slidingWindow(1, '1 h')] }, { store, now: () => 1_000 });
    limiter.consumeSync('k');
    store.delete('p', 'k');
    expect(limiter.consumeSync('k').allowed).toBe(true);
    store.clear();
    expect(store.stats().keys).toBe(0);
  });

  it('bounds the number of layouts', () => {
    const store = createMemoryStore({ maxLayouts: 1 });
    createRateLimiter({ limits: [slidingWindow(1, '1 h')] }, { store }).consumeSync('k');
    expect(() => createRateLimiter({ limits: [slidingWindow(1, '1 m')] }, { store }).consumeSync('k')).toThrow(/maxLayouts/);
  });
});
