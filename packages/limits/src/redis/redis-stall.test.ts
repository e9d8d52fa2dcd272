import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { CHAOS_HOLD, chaosStep, probe, runChaos } from '../__fixtures__/abort-chaos';
import { createBudget } from '../budget/budget';
import { createRateLimiter } from '../rate-limit/rate-limiter';
import { hasRedisServer, startRedisServer, type PrivateRedis } from './__fixtures__/redis-server';
import { createRedisStore, redisHoldsKeyOf } from './redis-store';

const AVAILABLE = hasRedisServer();
if (!AVAILABLE) {
  if (process.env.CI === 'true') throw new Error('redis-server is not on the PATH: CI must run the Redis stall tests (apt-get install redis-server).');
  console.warn('Skipping Redis stall tests: install redis-server to run them.');
}
const NOW = Date.parse('2025-06-01T12:00:00Z');

describe.skipIf(!AVAILABLE)('createRedisStore on a stalled or aborted Redis (private redis-server)', () => {
  let server: PrivateRedis;
  let client: Redis;
  beforeAll(async () => {
    server = await startRedisServer();
    client = new Redis(server.url, { maxRetriesPerRequest: 1 });
    await client.ping();
  }, 30_000);
  afterAll(async () => {
    client?.disconnect();
    await server?.stop();
  });

  it('decisions refused or aborted during a stall leave no hold and no counted request once Redis answers again', async () => {
    const prefix = `stall:${randomUUID()}`;
    const store = createRedisStore({ timeoutMs: 50, failMode: 'closed' }, { client });
    const now = () => NOW;
    const limiter = createRateLimiter({ prefix, maxConcurrent: 1_000, limits: [{ window: '1 h', requests: 1_000, tokens: 100_000 }] }, { store, now });
    const budget = createBudget({ prefix: `${prefix}:usd`, dailyUsd: 100 }, { store, now });
    // Admitted before the stall and still in flight.
    const tokenHolds = [await limiter.reserve('u', { tokens: 100 }), await limiter.reserve('u', { tokens: 100 })];
    const spendHolds = [await budget.reserve('u', 0.1)];
    let consumed = 0;

    // Some decisions are on the wire when Redis stops, the rest are sent while it is stopped; a
    // third of the callers abort after 10 ms.
    const attempts: Promise<void>[] = [];
    const fire = (count: number): void => {
      for (let index = 0; index < count; index++) {
        const controller = new AbortController();
        if (index % 3 === 0) setTimeout(() => controller.abort(), 10);
        const abortSignal = controller.signal;
        attempts.push(
          limiter.reserve('u', { tokens: 100, abortSignal }).then((each) => void (each.decision.allowed && tokenHolds.push(each))),
          budget.reserve('u', 0.1, { abortSignal }).then((each) => void (each.decision.allowed && spendHolds.push(each))),
          limiter.consume('u', { abortSignal }).then((decision) => void (decision.allowed && (consumed += 1))),
        );
      }
    };
    let refused: PromiseSettledResult<void>[];
    fire(5);
    server.pause();
    try {
      fire(15);
      refused = await Promise.allSettled(attempts);
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      server.resume();
    }
    await store.drain();
    for (const outcome of refused) if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 'ABORTED' });
    // Of the 15 on the wire some may have been admitted; none of the 45 sent while stopped was.
    expect(tokenHolds.length - 2 + spendHolds.length - 1 + consumed).toBeLessThanOrEqual(15);

    // Holds and counts are exactly those of the admitted requests still in flight.
    expect(await client.hlen(redisHoldsKeyOf(prefix, 'u'))).toBe(tokenHolds.length);
    expect(await client.hlen(redisHoldsKeyOf(`${prefix}:usd`, 'u'))).toBe(spendHolds.length);
    expect(await probe(store, prefix, 'u', NOW)).toEqual({ requests: tokenHolds.length + consumed, tokens: 100 * tokenHolds.length, inFlight: tokenHolds.length });
    expect((await budget.check('u')).remaining).toBeCloseTo(100 - 0.1 * spendHolds.length, 6);
    for (const each of tokenHolds) await each.settle({ tokens: 10 });
    for (const each of spendHolds) await each.commit(0.02);
    expect(await client.exists(redisHoldsKeyOf(prefix, 'u'), redisHoldsKeyOf(`${prefix}:usd`, 'u'))).toBe(0);
    expect(await probe(store, prefix, 'u', NOW)).toEqual({ requests: tokenHolds.length + consumed, tokens: 10 * tokenHolds.length, inFlight: 0 });
  }, 30_000);

  it('property: with aborts at random points, holds = reservations in flight and counted requests = admitted', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(chaosStep, { minLength: 1, maxLength: 40 }), async (steps) => {
        const prefix = `chaos:${randomUUID()}`;
        const store = createRedisStore({ timeoutMs: 5_000 }, { client });
        const outcome = await runChaos(store, prefix, 'u', NOW, steps);
        await store.drain();
        const holds = async () => (await client.hlen(redisHoldsKeyOf(prefix, 'u'))) + (await client.hlen(redisHoldsKeyOf(`${prefix}:usd`, 'u')));
        expect(await holds()).toBe(outcome.holds);
        expect(await probe(store, prefix, 'u', NOW)).toEqual({ requests: outcome.admitted, tokens: outcome.tokens, inFlight: outcome.inFlight });
        expect((await createBudget({ prefix: `${prefix}:usd`, dailyUsd: 1_000 }, { store, now: () => NOW }).check('u')).remaining).toBeCloseTo(1_000 - outcome.usd, 6);
        await outcome.releaseKept();
        expect(await holds()).toBe(0);
        expect(await probe(store, prefix, 'u', NOW)).toEqual({ requests: outcome.admitted, tokens: outcome.tokens - outcome.inFlight * CHAOS_HOLD.tokens, inFlight: 0 });
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});
