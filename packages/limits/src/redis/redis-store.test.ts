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

  it('token-bucket: a denial keeps no refill on either store, so retry times agree to the millisecond', async () => {
    // Found by the property below: the memory store used to keep the refill of a denied decision and
    // the script not, so later refills took different float paths (retry 112 ms vs 113 ms).
    let time = START;
    const config = { prefix: `${RUN}bucket:${randomUUID()}`, algorithm: 'token-bucket' as const, limits: [{ window: '10 s', tokens: 300 }, { window: '1 s', tokens: 150, tokenBurst: 20 }] };
    const onRedis = createRateLimiter(config, { now: () => time, store: createRedisStore({ timeoutMs: 5_000 }, { client }) });
    const inMemory = createRateLimiter(config, { now: () => time, store: createMemoryStore() });
    for (const [gap, tokens] of [[0, 115], [2, 56], [286, 0], [0, 115]] as const) {
      time += gap;
      expect(await onRedis.consume('k', { tokens })).toEqual(await inMemory.consume('k', { tokens }));
    }
  });

  it('leases: the script gives back lapsed reservations exactly like the memory store', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ gap: fc.integer({ min: 0, max: 2_500 }), tokens: fc.integer({ min: 0, max: 120 }), kind: fc.constantFrom('consume', 'reserve', 'keep', 'settle-oldest', 'release-oldest'), actual: fc.integer({ min: 0, max: 120 }) }),
          { minLength: 1, maxLength: 40 },
        ),
        fc.constantFrom<RateLimitAlgorithm>('sliding-window', 'fixed-window', 'token-bucket'),
        async (steps, algorithm) => {
          let time = START;
          const now = () => time;
          const config = { prefix: `${RUN}lease:${randomUUID()}`, algorithm, reservationLeaseMs: 3_000, maxConcurrent: 4, limits: [{ window: '10 s', tokens: 300 }, { window: '1 s', tokens: 150, tokenBurst: 20 }] };
          // Token limits only: `remaining` in every decision is the tokens left, so a refund off by one shows.
          const onRedis = createRateLimiter(config, { now, store: createRedisStore({ timeoutMs: 5_000 }, { client }) });
          const inMemory = createRateLimiter(config, { now, store: createMemoryStore() });
          const kept: [Awaited<ReturnType<typeof onRedis.reserve>>, Awaited<ReturnType<typeof inMemory.reserve>>][] = [];
          for (const step of steps) {
            time += step.gap;
            if (step.kind === 'consume') {
              expect(await onRedis.consume('k', { tokens: step.tokens })).toEqual(await inMemory.consume('k', { tokens: step.tokens }));
            } else if (step.kind === 'reserve' || step.kind === 'keep') {
              const pair = [await onRedis.reserve('k', { tokens: step.tokens }), await inMemory.reserve('k', { tokens: step.tokens })] as const;
              expect(pair[0].decision).toEqual(pair[1].decision);
              if (step.kind === 'keep') kept.push([pair[0], pair[1]]);
              else expect(await pair[0].settle({ tokens: step.actual })).toEqual(await pair[1].settle({ tokens: step.actual }));
            } else {
              const oldest = kept.shift();
              if (!oldest) continue;
              if (step.kind === 'settle-oldest') expect(await oldest[0].settle({ tokens: step.actual })).toEqual(await oldest[1].settle({ tokens: step.actual }));
              else expect(await oldest[0].release()).toEqual(await oldest[1].release());
            }
          }
          // Whatever is still kept is dropped (a crash): after the lease both stores agree it is gone.
          time += 3_000;
          expect(await onRedis.consume('k', { tokens: 0 })).toEqual(await inMemory.consume('k', { tokens: 0 }));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('leases: budgets on Redis match the memory store through lapses and late commits', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: 90_000 }), cents: fc.integer({ min: 0, max: 400 }), actual: fc.integer({ min: 0, max: 400 }), keep: fc.boolean(), settleOldest: fc.boolean() }), { minLength: 1, maxLength: 25 }),
        async (steps) => {
          let time = Date.parse('2025-05-31T23:40:00Z');
          const now = () => time;
          const config = { prefix: `${RUN}lease-budget:${randomUUID()}`, dailyUsd: 10, monthlyUsd: 20, reservationLeaseMs: '1 m' };
          const onRedis = createBudget(config, { now, store: createRedisStore({ timeoutMs: 5_000 }, { client }) });
          const inMemory = createBudget(config, { now, store: createMemoryStore() });
          const kept: [Awaited<ReturnType<typeof onRedis.reserve>>, Awaited<ReturnType<typeof inMemory.reserve>>][] = [];
          for (const step of steps) {
            time += step.gap;
            const pair = [await onRedis.reserve('org', step.cents / 100), await inMemory.reserve('org', step.cents / 100)] as const;
            expect(pair[0].decision).toEqual(pair[1].decision);
            if (step.keep) kept.push([pair[0], pair[1]]);
            else expect(await pair[0].commit(step.actual / 100)).toEqual(await pair[1].commit(step.actual / 100));
            const oldest = step.settleOldest ? kept.shift() : undefined;
            if (oldest) expect(await oldest[0].commit(step.actual / 100)).toEqual(await oldest[1].commit(step.actual / 100));
            expect(await onRedis.check('org')).toEqual(await inMemory.check('org'));
          }
        },
      ),
      { numRuns: 20 },
    );
  });

  it('leases: a crashed process’s token and budget reservations stop counting after the lease', async () => {
    const child = fileURLToPath(new URL('./__fixtures__/crash-reserve-child.ts', import.meta.url));
    const prefix = `${RUN}crash`;
    const reservedAt = Date.parse('2025-05-03T10:00:00Z');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--conditions=source', child, REDIS_URL!, prefix, 'user-1', String(reservedAt)], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
    });
    expect(stdout).toBe('reserved');
    let time = reservedAt + 10 * 60_000 - 1;
    const store = createRedisStore({ timeoutMs: 5_000 }, { client });
    const limiter = createRateLimiter({ prefix: `${prefix}:rl`, limits: [{ window: '1 d', tokens: 1_000 }], reservationLeaseMs: '10 m' }, { store, now: () => time });
    const budget = createBudget({ prefix: `${prefix}:budget`, monthlyUsd: 10, reservationLeaseMs: '10 m' }, { store, now: () => time });
    expect((await limiter.consume('user-1', { tokens: 200 })).allowed).toBe(false);
    expect((await budget.check('user-1')).remaining).toBe(1);
    expect(await client.hlen(`${prefix}:rl{user-1}:h`)).toBe(1);
    time += 1;
    expect((await limiter.consume('user-1', { tokens: 200 })).allowed).toBe(true);
    expect((await budget.check('user-1')).remaining).toBe(10);
    // Swept: the holds hash is gone and the state key carries no marker.
    expect(await client.exists(`${prefix}:rl{user-1}:h`, `${prefix}:budget{user-1}:h`)).toBe(0);
  }, 60_000);

  it('leases: a late settle on Redis counts the actual tokens in full and says so; holds keep the hash tag', async () => {
    let time = START;
    const limiter = createRateLimiter({ prefix: `${RUN}late`, limits: [{ window: '1 d', tokens: 1_000 }], reservationLeaseMs: '10 m' }, { store: createRedisStore({ timeoutMs: 5_000 }, { client }), now: () => time });
    const hold = await limiter.reserve('u', { tokens: 800 });
    expect(await client.pttl(`${RUN}late{u}:h`)).toBeGreaterThan(0);
    time += 10 * 60_000;
    expect(await hold.settle({ tokens: 300 })).toEqual({ settled: true, expired: true });
    expect((await limiter.consume('u', { tokens: 700 })).allowed).toBe(true);
    expect((await limiter.consume('u', { tokens: 1 })).allowed).toBe(false);
  });

  it('budgets: calendar periods, commit and release on Redis', async () => {
    let time = Date.parse('2025-05-10T21:30:00Z');
    const budget = createBudget({ prefix: `${RUN}budget`, dailyUsd: 1, timeZone: 'Europe/Berlin' }, { now: () => time, store: createRedisStore({ timeoutMs: 5_000 }, { client }) });
    const hold = await budget.reserve('org', 0.9);
    expect((await budget.reserve('org', 0.2)).decision.allowed).toBe(false);
    await hold.commit(0.5);
    expect((await budget.reserve('org', 0.2)).decision.allowed).toBe(true);
    time = Date.parse('2025-05-10T22:00:00Z'); // midnight in Berlin
    expect((await budget.check('org')).remaining).toBe(1);
  });

  it('denials on Redis say exceeds-capacity or reservations-in-flight (short retry) exactly like the memory store', async () => {
    const time = Date.parse('2025-05-10T10:00:00Z');
    const config = { prefix: `${RUN}held:${randomUUID()}`, dailyUsd: 0.05, reservationLeaseMs: '10 m' };
    const onRedis = createBudget(config, { now: () => time, store: createRedisStore({ timeoutMs: 5_000 }, { client }) });
    const inMemory = createBudget(config, { now: () => time, store: createMemoryStore() });
    for (const budget of [onRedis, inMemory]) {
      expect((await budget.reserve('u', 0.06)).decision).toMatchObject({ allowed: false, reason: 'exceeds-capacity', retryAfterMs: Infinity, limit: { requested: 0.06, limit: 0.05 } });
      expect((await budget.reserve('u', 0.03)).decision.allowed).toBe(true);
      expect((await budget.reserve('u', 0.015)).decision.allowed).toBe(true);
    }
    const [redisDenial, memoryDenial] = [(await onRedis.reserve('u', 0.03)).decision, (await inMemory.reserve('u', 0.03)).decision];
    expect(redisDenial).toMatchObject({ allowed: false, reason: 'reservations-in-flight', retryAfterMs: 1_000 });
    expect(redisDenial).toEqual(memoryDenial);
    const tokens = { prefix: `${RUN}held-tokens:${randomUUID()}`, limits: [{ window: '1 h', tokens: 1_000 }], reservationLeaseMs: '10 s' };
    const limiter = createRateLimiter(tokens, { now: () => time, store: createRedisStore({ timeoutMs: 5_000 }, { client }) });
    await limiter.reserve('u', { tokens: 900 });
    // Held tokens: retry when the hold can clear (here the 10 s lease is longer than the 1 s hint).
    expect(await limiter.consume('u', { tokens: 200 })).toMatchObject({ allowed: false, reason: 'reservations-in-flight', retryAfterMs: 1_000 });
  });

  it('loads the script after SCRIPT FLUSH (EVALSHA → NOSCRIPT → EVAL)', async () => {
    await client.script('FLUSH');
    const limiter = createRateLimiter({ prefix: `${RUN}noscript`, limits: [{ window: '1 m', requests: 1 }] }, { store: createRedisStore({ timeoutMs: 5_000 }, { client }) });
    expect((await limiter.consume('k')).allowed).toBe(true);
    expect((await limiter.consume('k')).allowed).toBe(false);
  });

  it('hash-tags keys so every counter of a key lives in one Cluster slot', async () => {
    const limiter = createRateLimiter({ prefix: `${RUN}tag`, limits: [{ window: '1 m', requests: 1 }] }, { store: createRedisStore({ timeoutMs: 5_000 }, { client }) });
    await limiter.consume('user:1');
    expect(await client.exists(`${RUN}tag{user:1}`)).toBe(1);
    expect(await client.pttl(`${RUN}tag{user:1}`)).toBeGreaterThan(0);
  });

  it('cluster mode: one script per key, and a denial undoes the keys before it', async () => {
    const store = createRedisStore({ cluster: true, timeoutMs: 5_000 }, { client });
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
    const store = createRedisStore({ timeoutMs: 5_000 }, { client });
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
    const limiter = createRateLimiter({ prefix, limits: [{ window: '1 m', requests: 5 }] }, { store: createRedisStore({ timeoutMs: 5_000 }, { client }), now: () => now });
    expect((await limiter.consume('k')).remaining).toBe(1);
    expect((await limiter.consume('k')).remaining).toBe(0);
    expect((await limiter.consume('k')).allowed).toBe(false);
    // The legacy gauge entry (1 in flight) survived the rewrite: a limit of 2 leaves room for one.
    const gauge = createRateLimiter({ prefix, maxConcurrent: 2, limits: [{ window: '1 h', requests: 5 }] }, { store: createRedisStore({ timeoutMs: 5_000 }, { client }), now: () => now });
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
    // At most as many as before: a timer left by an earlier test may end meanwhile; ours must not stay.
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it('answers in time leave no timer behind', async () => {
    const answering: RedisScriptClient = { evalsha: () => Promise.resolve([1, -1, -1, 0, 4, 60_000]), eval: () => Promise.resolve([1, -1, -1, 0, 4, 60_000]) };
    const limiter = createRateLimiter({ limits: [{ window: '1 m', requests: 5 }] }, { store: createRedisStore({ timeoutMs: 10_000 }, { client: answering }) });
    const timers = (): number => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
    const before = timers();
    const decisions = await Promise.all(Array.from({ length: 5 }, (_, index) => limiter.consume(`k${index}`)));
    expect(decisions.every((decision) => decision.allowed && decision.remaining === 4)).toBe(true);
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it('an abort is the caller’s, not a store failure', async () => {
    const limiter = createRateLimiter({ limits: [{ window: '1 m', requests: 1 }] }, { store: createRedisStore({ failMode: 'open', timeoutMs: 1_000 }, { client: hanging }) });
    const controller = new AbortController();
    const pending = limiter.consume('k', { abortSignal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('a decision answered after its timeout is undone once; a late settlement is kept', async () => {
    const calls: (string | number | Buffer)[][] = [];
    let answer: (reply: unknown) => void = () => undefined;
    const slow: RedisScriptClient = {
      evalsha: (...args) => {
        calls.push(args);
        // The admission answers late (allowed); later calls answer at once.
        return calls.length === 1 ? new Promise((resolve) => (answer = resolve)) : Promise.resolve([1, -1, -1, 0, 9, 0, 99, 0, 0]);
      },
      eval: () => Promise.reject(new Error('unexpected EVAL')),
    };
    const store = createRedisStore({ timeoutMs: 5, failMode: 'closed' }, { client: slow });
    const limiter = createRateLimiter({ limits: [{ window: '1 h', requests: 10, tokens: 100 }] }, { store, now: () => START });
    const reservation = await limiter.reserve('u', { tokens: 40 });
    expect(reservation.decision).toMatchObject({ allowed: false, reason: 'store-unavailable' });
    answer([1, -1, -1, 0, 9, 0, 60, 0]);
    await store.drain();
    // The undo: a settle of the hold by id that gives back the request and the 40 tokens.
    expect(calls).toHaveLength(2);
    const undo = calls[1]!;
    expect(undo[undo.length - 1]).toBe(calls[0]![calls[0]!.length - 2]);
    const amounts = undo[10] as Buffer;
    expect([amounts.readDoubleLE(24), amounts.readDoubleLE(56)]).toEqual([-1, -40]);

    // A settlement (refundAtMs set) that times out is not undone: its late effect is wanted.
    const layout = (await import('../counter/counter')).createLayout([{ id: 't:sliding-window:3600000', algorithm: 'sliding-window', dimension: 'tokens', windowMs: 3_600_000, label: 'per hour' }]);
    let evaluated = 0;
    const counting: RedisScriptClient = { evalsha: () => (evaluated++, new Promise((resolve) => setTimeout(() => resolve([1, -1, -1, 0, 0, 0]), 20))), eval: () => Promise.reject(new Error('unexpected')) };
    const settling = createRedisStore({ timeoutMs: 1 }, { client: counting });
    await settling.evaluate({ nowMs: START, force: true, refundAtMs: START - 1_000, operations: [{ namespace: 'n', key: 'k', layout, capacity: [100], refill: [100], amounts: [25] }] });
    await settling.drain();
    expect(evaluated).toBe(1);
  });

  it('asks for a client', () => {
    expect(() => createRedisStore({}, { client: undefined as unknown as RedisScriptClient })).toThrow(/needs \{ client \}/);
  });
});
