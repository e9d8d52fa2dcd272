import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CascadeError } from '@cascade/core';
import { createMemoryStore } from '../memory/memory-store';
import { ReferenceLimiter, SlidingLog, type ReferenceAlgorithm } from '../__fixtures__/reference-model';
import { retryAfterHeader } from '../decision/limit-decision';
import { createRateLimiter } from './rate-limiter';
import { fixedWindow, slidingWindow, tokenBucket } from './rate-limit-config';

const START = Date.UTC(2025, 0, 1);

function clock(start = START) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms), set: (ms: number) => (time = ms) };
}

describe('createRateLimiter: accuracy against the reference model', () => {
  const algorithms: ReferenceAlgorithm[] = ['sliding-window', 'fixed-window', 'token-bucket'];
  for (const algorithm of algorithms) {
    it(`${algorithm}: every decision matches the reference over random traffic`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ gap: fc.integer({ min: 0, max: 1500 }), tokens: fc.integer({ min: 0, max: 40 }) }), { minLength: 1, maxLength: 200 }),
          async (steps) => {
            const time = clock();
            const limiter = createRateLimiter(
              { algorithm, limits: [{ window: '1 s', requests: 5, burst: 2 }, { window: '10 s', requests: 20, tokens: 300 }] },
              { now: time.now, store: createMemoryStore() },
            );
            const reference = new ReferenceLimiter([
              { algorithm, windowMs: 1_000, capacity: 7, refill: 5 },
              { algorithm, windowMs: 10_000, capacity: 20, refill: 20 },
              { algorithm, windowMs: 10_000, capacity: 300, refill: 300 },
            ]);
            for (const step of steps) {
              time.advance(step.gap);
              const decision = await limiter.consume('k', { tokens: step.tokens });
              expect(decision.allowed).toBe(reference.consume(time.now(), [1, 1, step.tokens]));
            }
          },
        ),
        { numRuns: 60 },
      );
    });
  }

  it('sliding window stays within 1% of an exact sliding log under random traffic', () => {
    const time = clock();
    const limiter = createRateLimiter({ limits: [slidingWindow(100, '1 m')] }, { now: time.now });
    const log = new SlidingLog(60_000, 100);
    let approximate = 0;
    let exact = 0;
    let seed = 42;
    const random = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) + 1) / (2 ** 31 + 1);
    // Poisson arrivals, 3 per second for three hours: 180 offered per minute against a limit of 100.
    for (let step = 0; step < 3 * 3 * 3600; step++) {
      time.advance(Math.round(-Math.log(random()) * 333));
      if (limiter.consumeSync('k').allowed) approximate += 1;
      if (log.consume(time.now())) exact += 1;
    }
    expect(Math.abs(approximate - exact) / exact).toBeLessThan(0.01);
  });

  it('fixed window never admits more than the limit inside one window', () => {
    const time = clock();
    const limiter = createRateLimiter({ limits: [fixedWindow(10, '1 s')] }, { now: time.now });
    let admitted = 0;
    for (let step = 0; step < 100; step++) {
      time.advance(9);
      if (limiter.consumeSync('k').allowed) admitted += 1;
    }
    expect(admitted).toBe(10);
  });
});

describe('createRateLimiter: decisions', () => {
  it('checks every window in one decision and consumes from none when one is full', () => {
    const time = clock();
    const limiter = createRateLimiter({ limits: [{ window: '1 m', requests: 100, tokens: 1000 }] }, { now: time.now });
    expect(limiter.consumeSync('k', { tokens: 900 }).allowed).toBe(true);
    const denied = limiter.consumeSync('k', { tokens: 200 });
    expect(denied).toMatchObject({ allowed: false, reason: 'limit-exceeded', limit: { dimension: 'tokens', limit: 1000, label: 'per minute' } });
    // The denied call took no request either: 99 requests are left.
    expect(limiter.consumeSync('k', { tokens: 0 }).remaining).toBe(98);
  });

  it('isolates keys', () => {
    const time = clock();
    const limiter = createRateLimiter({ limits: [slidingWindow(2, '1 m')] }, { now: time.now });
    limiter.consumeSync('a');
    limiter.consumeSync('a');
    expect(limiter.consumeSync('a').allowed).toBe(false);
    expect(limiter.consumeSync('b')).toMatchObject({ allowed: true, remaining: 1 });
  });

  it('warn mode allows and counts over-limit requests and says so', () => {
    const time = clock();
    const limiter = createRateLimiter({ enforcement: 'warn', limits: [fixedWindow(1, '1 m')] }, { now: time.now });
    expect(limiter.consumeSync('k').reason).toBe('allowed');
    const warned = limiter.consumeSync('k');
    expect(warned).toMatchObject({ allowed: true, reason: 'warned', retryAfterMs: 0, limit: { dimension: 'requests' } });
  });

  for (const [name, rule] of [
    ['sliding-window', slidingWindow(3, '10 s')],
    ['fixed-window', fixedWindow(3, '10 s')],
    ['token-bucket', tokenBucket(3, '10 s')],
  ] as const) {
    it(`${name}: retry-after is exact — denied 1 ms before it, allowed at it`, () => {
      const time = clock(START + 1_234);
      const limiter = createRateLimiter({ limits: [rule] }, { now: time.now });
      for (let index = 0; index < 3; index++) {
        limiter.consumeSync('k');
        time.advance(700);
      }
      const denied = limiter.consumeSync('k');
      expect(denied.allowed).toBe(false);
      expect(denied.retryAfterMs).toBeGreaterThan(0);
      expect(denied.resetAt).toBe(time.now() + denied.retryAfterMs);
      expect(retryAfterHeader(denied)).toBe(String(Math.ceil(denied.retryAfterMs / 1000)));
      const at = time.now() + denied.retryAfterMs;
      time.set(at - 1);
      expect(limiter.consumeSync('k').allowed).toBe(false);
      time.set(at);
      expect(limiter.consumeSync('k').allowed).toBe(true);
    });
  }

  it('burst allows extra requests above the rate; a token bucket refills at the base rate', () => {
    const time = clock();
    const limiter = createRateLimiter({ limits: [tokenBucket(1, '1 s', 5)] }, { now: time.now });
    const burst = Array.from({ length: 6 }, () => limiter.consumeSync('k').allowed);
    expect(burst).toEqual([true, true, true, true, true, false]);
    time.advance(1_000);
    expect(limiter.consumeSync('k').allowed).toBe(true);
    expect(limiter.consumeSync('k').allowed).toBe(false);
  });

  it('a request larger than a limit is refused for good', () => {
    const limiter = createRateLimiter({ limits: [{ window: '1 m', tokens: 100 }] });
    const decision = limiter.consumeSync('k', { tokens: 101 });
    expect(decision).toMatchObject({ allowed: false, reason: 'exceeds-capacity', retryAfterMs: Infinity });
    expect(retryAfterHeader(decision)).toBeUndefined();
  });

  it('rejects bad config and input with messages that say what to fix', async () => {
    expect(() => createRateLimiter({ limits: [] })).toThrow(/at least one limit/);
    expect(() => createRateLimiter({ limits: [{ window: '1 fortnight', requests: 1 }] })).toThrow(/not a duration/);
    expect(() => createRateLimiter({ limits: [{ window: '1 m' }] })).toThrow(/needs `requests`, `tokens`/);
    const limiter = createRateLimiter({ limits: [slidingWindow(1, '1 s')] });
    const error: unknown = await limiter.consume('', {}).catch((caught: unknown) => caught);
    expect(CascadeError.isInstance(error) && error.code).toBe('INVALID_INPUT');
    await expect(limiter.consume('k', { tokens: -1 })).rejects.toThrow(/whole number/);
  });
});

describe('createRateLimiter: reservations', () => {
  function setup() {
    const time = clock();
    const limiter = createRateLimiter({ limits: [{ window: '1 m', requests: 100, tokens: 1000 }], maxConcurrent: 2 }, { now: time.now });
    return { time, limiter };
  }

  it('settles to the actual tokens: the unused part comes back', async () => {
    const { limiter } = setup();
    const hold = await limiter.reserve('k', { tokens: 800 });
    expect(hold.decision.allowed).toBe(true);
    expect((await limiter.consume('k', { tokens: 300 })).allowed).toBe(false);
    await hold.settle({ tokens: 100 });
    expect((await limiter.consume('k', { tokens: 300 })).allowed).toBe(true);
  });

  it('release refunds everything (error or abort); settle and release count once', async () => {
    const { limiter } = setup();
    const hold = await limiter.reserve('k', { tokens: 1000 });
    await hold.release();
    await hold.release();
    await hold.settle({ tokens: 1000 });
    expect((await limiter.consume('k', { tokens: 1000 })).allowed).toBe(true);
  });

  it('an overrun is counted against later requests', async () => {
    const { limiter } = setup();
    const hold = await limiter.reserve('k', { tokens: 100 });
    await hold.settle({ tokens: 900 });
    expect((await limiter.consume('k', { tokens: 200 })).allowed).toBe(false);
  });

  it('holds a concurrency slot until settled', async () => {
    const { limiter } = setup();
    const first = await limiter.reserve('k', { tokens: 1 });
    await limiter.reserve('k', { tokens: 1 });
    const third = await limiter.reserve('k', { tokens: 1 });
    expect(third.decision).toMatchObject({ allowed: false, limit: { dimension: 'concurrency', limit: 2 } });
    await first.settle({ tokens: 1 });
    expect((await limiter.reserve('k', { tokens: 1 })).decision.allowed).toBe(true);
  });

  it('property: no interleaving of concurrent reserve/settle/release admits more than the limit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ tokens: fc.integer({ min: 1, max: 400 }), actual: fc.integer({ min: 0, max: 400 }), release: fc.boolean(), delay: fc.nat(5) }), { minLength: 1, maxLength: 40 }),
        fc.scheduler(),
        async (calls, scheduler) => {
          const time = clock();
          const memory = createMemoryStore();
          // Every store call is delayed by the scheduler: fast-check explores the interleavings.
          const store = { kind: 'scheduled', evaluate: scheduler.scheduleFunction(async (request: Parameters<typeof memory.evaluate>[0]) => memory.evaluate(request)) };
          const limiter = createRateLimiter({ limits: [{ window: '1 h', requests: 10, tokens: 1000 }], maxConcurrent: 4 }, { now: time.now, store });
          let inFlight = 0;
          let maxInFlight = 0;
          let committed = 0;
          let reserved = 0;
          let violation = '';
          const runs = calls.map(async (call) => {
            const hold = await limiter.reserve('k', { tokens: call.tokens });
            if (!hold.decision.allowed) return;
            inFlight += 1;
            reserved += call.tokens;
            maxInFlight = Math.max(maxInFlight, inFlight);
            if (reserved + committed > 1000) violation = `reserved ${reserved} + committed ${committed} > 1000`;
            inFlight -= 1;
            reserved -= call.tokens;
            if (call.release) await hold.release();
            else {
              committed += Math.min(call.actual, call.tokens);
              await hold.settle({ tokens: Math.min(call.actual, call.tokens) });
            }
          });
          let done = false;
          const all = Promise.all(runs).finally(() => (done = true));
          // Settles are scheduled a few promise hops after their reserve resolves: drain until all ran.
          while (!done) {
            await scheduler.waitAll();
            await new Promise((resolve) => setImmediate(resolve));
          }
          await all;
          expect(violation).toBe('');
          expect(maxInFlight).toBeLessThanOrEqual(4);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('property: concurrent consumes at one instant admit exactly min(offered, limit)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 120 }), fc.constantFrom('sliding-window', 'fixed-window', 'token-bucket' as const), async (limit, offered, algorithm) => {
        const limiter = createRateLimiter({ algorithm, limits: [{ window: '1 m', requests: limit }] }, { now: () => START });
        const decisions = await Promise.all(Array.from({ length: offered }, () => limiter.consume('k')));
        expect(decisions.filter((decision) => decision.allowed)).toHaveLength(Math.min(limit, offered));
      }),
    );
  });
});
