import { describe, expect, it } from 'vitest';
import { createBudget } from '../budget/budget';
import { createConcurrencyLimiter } from '../concurrency/concurrency-limiter';
import type { LimitStore } from '../counter/counter';
import { createMemoryStore } from '../memory/memory-store';
import { createLimitsMiddleware } from '../middleware/limits-middleware';
import { createRateLimiter } from '../rate-limit/rate-limiter';
import { createRedisStore, type RedisScriptClient } from '../redis/redis-store';

const factories: [string, (dependencies: unknown) => unknown][] = [
  ['createRateLimiter', (dependencies) => createRateLimiter({ limits: [{ window: '1 m', requests: 1 }] }, dependencies as never)],
  ['createBudget', (dependencies) => createBudget({ dailyUsd: 1 }, dependencies as never)],
  ['createConcurrencyLimiter', (dependencies) => createConcurrencyLimiter({ max: 1 }, dependencies as never)],
  ['createLimitsMiddleware', (dependencies) => createLimitsMiddleware({}, dependencies as never)],
];

describe('dependencies are checked at construction', () => {
  for (const [name, create] of factories) {
    it(`${name}: a store without evaluate() or kind, a clock that is not a function, or a non-object throws INVALID_CONFIG naming it`, () => {
      expect(() => create({ store: {} })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringMatching(new RegExp(`^${name} dependencies\\.store is not a limit store: it has no evaluate\\(\\) and no kind`)) }));
      expect(() => create({ store: { kind: 'custom' } })).toThrow(/dependencies\.store is not a limit store: it has no evaluate\(\)\./);
      expect(() => create({ store: 'redis' })).toThrow(/dependencies\.store must be a limit store.*got string "redis"/);
      expect(() => create({ now: 5 })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringMatching(/dependencies\.now must be a clock function/) }));
      expect(() => create(null)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringMatching(/dependencies must be an object like \{ store, now \}; got null/) }));
      // Well-formed dependencies (or none) still construct.
      const custom: LimitStore = { kind: 'custom', evaluate: (request, options) => createMemoryStore().evaluate(request, options) };
      expect(() => create(undefined)).not.toThrow();
      expect(() => create({ store: custom, now: () => 0 })).not.toThrow();
    });
  }

  it('createLimitsMiddleware: onError must be a function', () => {
    expect(() => createLimitsMiddleware({}, { onError: 'log' as never })).toThrow(/dependencies\.onError must be a function; got string "log"/);
  });

  it('createRedisStore names the methods the client lacks', () => {
    expect(() => createRedisStore({}, { client: { evalsha: () => Promise.resolve([]) } as unknown as RedisScriptClient })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringMatching(/has no eval method/) }),
    );
    expect(() => createRedisStore({}, { client: {} as RedisScriptClient })).toThrow(/has no evalsha, eval method/);
    expect(() => createRedisStore({}, { client: { evalsha: () => Promise.resolve([]), eval: () => Promise.resolve([]) }, onError: 1 as never })).toThrow(/onError must be a function/);
  });

  it('wrong-typed config is INVALID_CONFIG at construction too', () => {
    for (const [, create] of [
      ['createRateLimiter', () => createRateLimiter({ limits: 'many' } as never)],
      ['createBudget', () => createBudget({ dailyUsd: '5' } as never)],
      ['createConcurrencyLimiter', () => createConcurrencyLimiter({ max: 0 })],
      ['createLimitsMiddleware', () => createLimitsMiddleware({ prefix: 7 } as never)],
      ['createMemoryStore', () => createMemoryStore({ maxKeys: 'lots' } as never)],
      ['createRedisStore', () => createRedisStore({ timeoutMs: -1 }, { client: { evalsha: () => Promise.resolve([]), eval: () => Promise.resolve([]) } })],
    ] as const) {
      expect(create).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    }
  });
});
