import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { createMemoryStore } from '../memory/memory-store';
import { createRateLimiter } from '../rate-limit/rate-limiter';
import { createBudget } from '../budget/budget';
import type { RateLimitAlgorithm } from '../rate-limit/rate-limit-config';
import { createRedisStore, type RedisScriptClient } from './redis-store';

const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL) {
  if (process.env.CI === 'true') throw new Error('REDIS_URL is not set: CI must run the Redis store tests against a real server (e.g. redis://127.0.0.1:6379).');
  console.warn('Skipping Redis store tests: set REDIS_URL (e.g. redis://127.0.0.1:6379) to run them.');
}
const RUN = `cascade-test:${randomUUID()}:`;
const START = Date.UTC(2025, 0, 1, 0, 0, 0, 123);

describe.skipIf(!REDIS_URL)('createRedisStore (real Redis)', () => {
  let client: Redis;
  beforeAll(async () => {
    client = new Redis(REDIS_URL!, { maxRetriesPerRequest: 1 });
    await client.ping();
  });
  afterAll(async () => {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${RUN}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== '0');
    await client.quit();
  });

  const algorithms: RateLimitAlgorithm[] = ['sliding-window', 'fixed-window', 'token-bucket'];
  for (const algorithm of algorithms) {
    it(`${algorithm}: the Lua script decides exactly like the memory kernel`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ gap: fc.integer({ min: 0, max: 1500 }), tokens: fc.integer({ min: 0, max: 60 }), reserve: fc.boolean(), actual: fc.integer({ min: 0, max: 60 }) }), { minLength: 1, maxLength: 40 }),
          async (steps) => {
            let time = START;
            const now = () => time;
            const config = { prefix: `${RUN}eq:${randomUUID()}`, algorithm, maxConcurrent: 3, limits: [{ window: '1 s', requests: 4, burst: 1 }, { window: '10 s', requests: 15, tokens: 300 }] };
            const onRedis = createRateLimiter(config, { now, store: createRedisStore({ timeoutMs: 5_000 }, { client }) });
            const inMemory = createRateLimiter(config, { now, store: createMemoryStore() });
            for (const step of steps) {
              time += step.gap;
              if (step.reserve) {
                const [left, right] = [await onRedis.reserve('k', { tokens: step.tokens }), await inMemory.reserve('k', { tokens: step.tokens })];
                expect(left.decision).toEqual(right.decision);
                await left.settle({ tokens: step.actual });
                await right.settle({ tokens: step.actual });
              } else {
                expect(await onRedis.consume('k', { tokens: step.tokens })).toEqual(await inMemory.consume('k', { tokens: step.tokens }));
              }
            }
          },
        ),
        { numRuns: 15 },
      );
    });
  }

  it('budgets: calendar periods, commit and release on Redis', async () => {
    let time = Date.parse('2025-05-10T21:30:00Z');
    const budget = createBudget({ prefix: `${RUN}budget`, dailyUsd: 1, timeZone: 'Europe/Berlin' }, { now: () => time, store: createRedisStore({}, { client }) });
    const hold = await budget.reserve('org', 0.9);
    expect((await budget.reserve('org', 0.2)).decision.allowed).toBe(false);
    await hold.commit(0.5);
    expect((await budget.reserve('org', 0.2)).decision.allowed).toBe(true);
    time = Date.parse('2025-05-10T22:00:00Z'); // midnight in Berlin
    expect((await budget.check('org')).remaining).toBe(1);
  });

  it('loads the script after SCRIPT FLUSH (EVALSHA → NOSCRIPT → EVAL)', async () => {
    await client.script('FLUSH');
    const limiter = createRateLimiter({ prefix: `${RUN}noscript`, limits: [{ window: '1 m', requests: 1 }] }, { store: createRedisStore({}, { client }) });
    expect((await limiter.consume('k')).allowed).toBe(true);
    expect((await limiter.consume('k')).allowed).toBe(false);
  });

  it('hash-tags keys so every counter of a key lives in one Cluster slot', async () => {
    const limiter = createRateLimiter({ prefix: `${RUN}tag`, limits: [{ window: '1 m', requests: 1 }] }, { store: createRedisStore({}, { client }) });
    await limiter.consume('user:1');
    expect(await client.exists(`${RUN}tag{user:1}`)).toBe(1);
    expect(await client.pttl(`${RUN}tag{user:1}`)).toBeGreaterThan(0);
  });

  it('cluster mode: one script per key, and a denial undoes the keys before it', async () => {
    const store = createRedisStore({ cluster: true }, { client });
    const user = createRateLimiter({ prefix: `${RUN}cl`, limits: [{ window: '1 h', requests: 5 }] }, { store, now: () => START });
    // Use the store directly with two keys: the second is full.
    const full = createRateLimiter({ prefix: `${RUN}cl`, limits: [{ window: '1 h', requests: 5 }] }, { store, now: () => START });
    for (let index = 0; index < 5; index++) await full.consume('full');
    const memoryLayout = (await import('../counter/counter')).createLayout([{ id: 'r:sliding-window:3600000', algorithm: 'sliding-window', dimension: 'requests', windowMs: 3_600_000, label: 'per hour' }]);
    const operation = (key: string) => ({ namespace: `${RUN}cl`, key, layout: memoryLayout, capacity: [5], refill: [5], amounts: [1] });
    const result = await store.evaluate({ nowMs: START, force: false, operations: [operation('free'), operation('full')] });
    expect(result).toMatchObject({ allowed: false, failedOperation: 1 });
    expect((await user.consume('free')).remaining).toBe(4);
  });

  it('keeps counters of other layouts under the same key, and shares counters by id', async () => {
    const prefix = `${RUN}layouts`;
    const store = createRedisStore({}, { client });
    const narrow = createRateLimiter({ prefix, limits: [{ window: '1 m', requests: 5 }] }, { store, now: () => START });
    const wide = createRateLimiter({ prefix, limits: [{ window: '1 m', requests: 5 }, { window: '1 h', requests: 3 }] }, { store, now: () => START });
    const other = createRateLimiter({ prefix, limits: [{ window: '1 h', requests: 3 }, { window: '1 s', requests: 9 }] }, { store, now: () => START });
    expect((await narrow.consume('k')).remaining).toBe(4);
    expect((await wide.consume('k')).remaining).toBe(2); // the 1 h counter is tighter; the 1 m one is shared
    expect((await narrow.consume('k')).remaining).toBe(2);
    expect((await other.consume('k')).remaining).toBe(1); // shares the 1 h counter with `wide`
    expect((await wide.consume('k')).remaining).toBe(0);
    expect((await wide.consume('k')).allowed).toBe(false);
    expect((await narrow.consume('k')).remaining).toBe(0);
    expect((await other.consume('k', { tokens: 0 })).allowed).toBe(false);
  });

  it('reads state written in the former MessagePack format', async () => {
    const prefix = `${RUN}legacy`;
    const now = START + 500;
    // { 'r:sliding-window:60000': [window start, 3 used, 0 before] } as the former script stored it.
    await client.eval(
      "redis.call('SET', KEYS[1], cmsgpack.pack({ ['r:sliding-window:60000'] = { tonumber(ARGV[1]), 3, 0 }, ['c:gauge'] = { tonumber(ARGV[1]), 1, 0 } }), 'PX', 60000)",
      1,
      `${prefix}{k}`,
      now - (now % 60_000),
    );
    const limiter = createRateLimiter({ prefix, limits: [{ window: '1 m', requests: 5 }] }, { store: createRedisStore({}, { client }), now: () => now });
    expect((await limiter.consume('k')).remaining).toBe(1);
    expect((await limiter.consume('k')).remaining).toBe(0);
    expect((await limiter.consume('k')).allowed).toBe(false);
    // The legacy gauge entry (1 in flight) survived the rewrite: a limit of 2 leaves room for one.
    const gauge = createRateLimiter({ prefix, maxConcurrent: 2, limits: [{ window: '1 h', requests: 5 }] }, { store: createRedisStore({}, { client }), now: () => now });
    expect((await gauge.reserve('k', { tokens: 0 })).decision.allowed).toBe(true);
    expect((await gauge.reserve('k', { tokens: 0 })).decision.allowed).toBe(false);
  });

  it('several processes sharing one limit never over-admit', async () => {
    const child = fileURLToPath(new URL('./__fixtures__/shared-limit-child.ts', import.meta.url));
    const run = promisify(execFile);
    const prefix = `${RUN}procs`;
    const outputs = await Promise.all(
      Array.from({ length: 3 }, () => run(process.execPath, ['--import', 'tsx', '--conditions=source', child, REDIS_URL!, prefix, 'shared', '60', '100'], { cwd: fileURLToPath(new URL('../..', import.meta.url)) })),
    );
    const admitted = outputs.reduce((sum, output) => sum + Number(output.stdout), 0);
    expect(admitted).toBe(100);
  }, 60_000);
});

describe('createRedisStore (fail modes, no server needed)', () => {
  const hanging: RedisScriptClient = { evalsha: () => new Promise(() => undefined), eval: () => new Promise(() => undefined) };
  const refusing: RedisScriptClient = { evalsha: () => Promise.reject(new Error('connect ECONNREFUSED')), eval: () => Promise.reject(new Error('connect ECONNREFUSED')) };

  it('fail-closed denies with the reason when Redis is down', async () => {
    const limiter = createRateLimiter({ limits: [{ window: '1 m', requests: 1 }] }, { store: createRedisStore({ failMode: 'closed' }, { client: refusing }) });
    const decision = await limiter.consume('k');
    expect(decision).toMatchObject({ allowed: false, reason: 'store-unavailable' });
    expect(decision.error?.message).toMatch(/ECONNREFUSED/);
  });

  it('fail-open allows after the timeout, and the timer does not outlive the call', async () => {
    const limiter = createRateLimiter({ limits: [{ window: '1 m', requests: 1 }] }, { store: createRedisStore({ failMode: 'open', timeoutMs: 5 }, { client: hanging }) });
    const timers = (): number => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
    const before = timers();
    const decision = await limiter.consume('k');
    expect(decision).toMatchObject({ allowed: true, reason: 'store-unavailable' });
    expect(decision.error?.message).toMatch(/within 5 ms/);
    const many = await Promise.all(Array.from({ length: 5 }, (_, index) => limiter.consume(`k${index}`)));
    expect(many.every((each) => each.reason === 'store-unavailable' && /within 5 ms/.test(each.error?.message ?? ''))).toBe(true);
    expect(timers()).toBe(before);
  });

  it('answers in time leave no timer behind', async () => {
    const answering: RedisScriptClient = { evalsha: () => Promise.resolve([1, -1, -1, 0, 4, 60_000]), eval: () => Promise.resolve([1, -1, -1, 0, 4, 60_000]) };
    const limiter = createRateLimiter({ limits: [{ window: '1 m', requests: 5 }] }, { store: createRedisStore({ timeoutMs: 10_000 }, { client: answering }) });
    const timers = (): number => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
    const before = timers();
    const decisions = await Promise.all(Array.from({ length: 5 }, (_, index) => limiter.consume(`k${index}`)));
    expect(decisions.every((decision) => decision.allowed && decision.remaining === 4)).toBe(true);
    expect(timers()).toBe(before);
  });

  it('an abort is the caller’s, not a store failure', async () => {
    const limiter = createRateLimiter({ limits: [{ window: '1 m', requests: 1 }] }, { store: createRedisStore({ failMode: 'open', timeoutMs: 1_000 }, { client: hanging }) });
    const controller = new AbortController();
    const pending = limiter.consume('k', { abortSignal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('asks for a client', () => {
    expect(() => createRedisStore({}, { client: undefined as unknown as RedisScriptClient })).toThrow(/needs \{ client \}/);
  });
});
