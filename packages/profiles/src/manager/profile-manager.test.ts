import { CascadeError } from '@cascade/core';
import { describe, expect, it } from 'vitest';
import { UserProfile } from '../profile/user-profile';
import { TIER_PRESETS } from '../tier/tier-presets';
import { createControlledStore } from './__fixtures__/controlled-store';
import { createProfileManager } from './profile-manager';

function clock(start = 1_000_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

async function rejection(promise: Promise<unknown>): Promise<CascadeError> {
  try {
    await promise;
  } catch (error) {
    expect(CascadeError.isInstance(error)).toBe(true);
    return error as CascadeError;
  }
  throw new Error('expected a rejection');
}

describe('createProfileManager: cache', () => {
  it('misses, loads once, then hits', async () => {
    const store = createControlledStore([UserProfile.fromTier('pro', 'alice')]);
    const manager = createProfileManager({}, { store });
    const first = await manager.get('alice');
    const second = await manager.get('alice');
    expect(first.tier).toBe(TIER_PRESETS.pro);
    expect(second).toBe(first);
    expect(store.calls.load).toBe(1);
    expect(manager.stats()).toMatchObject({ hits: 1, misses: 1, loads: 1, size: 1 });
    expect(manager.peek('alice')).toBe(first);
  });

  it('expires entries after the TTL (injected clock)', async () => {
    const time = clock();
    const store = createControlledStore([UserProfile.fromTier('pro', 'alice')]);
    const manager = createProfileManager({ cacheTtlMs: 1000 }, { store, now: time.now });
    await manager.get('alice');
    time.advance(999);
    await manager.get('alice');
    expect(store.calls.load).toBe(1);
    time.advance(1);
    await manager.get('alice');
    expect(store.calls.load).toBe(2);
    expect(manager.stats().expirations).toBe(1);
  });

  it('evicts the least recently used beyond maxCacheSize', async () => {
    const store = createControlledStore(['a', 'b', 'c'].map((id) => UserProfile.fromTier('starter', id)));
    const manager = createProfileManager({ maxCacheSize: 2 }, { store });
    await manager.get('a');
    await manager.get('b');
    await manager.get('a'); // a is now most recent
    await manager.get('c'); // evicts b
    expect(manager.peek('b')).toBeUndefined();
    expect(manager.peek('a')).toBeDefined();
    expect(manager.stats()).toMatchObject({ size: 2, evictions: 1 });
    await manager.get('b');
    expect(store.calls.load).toBe(4);
  });

  it('with maxCacheSize 0 never caches', async () => {
    const store = createControlledStore([UserProfile.fromTier('pro', 'a')]);
    const manager = createProfileManager({ maxCacheSize: 0 }, { store });
    await manager.get('a');
    await manager.get('a');
    expect(store.calls.load).toBe(2);
    expect(manager.stats().size).toBe(0);
  });

  it('invalidate and clear drop entries', async () => {
    const store = createControlledStore([UserProfile.fromTier('pro', 'a')]);
    const manager = createProfileManager({}, { store });
    await manager.get('a');
    manager.invalidate('a');
    await manager.get('a');
    manager.clear();
    await manager.get('a');
    expect(store.calls.load).toBe(3);
  });
});

describe('createProfileManager: single-flight', () => {
  it('fifty concurrent gets of a cold user cause one store load', async () => {
    const store = createControlledStore([UserProfile.fromTier('business', 'cold')]);
    const manager = createProfileManager({}, { store });
    const release = store.holdLoads();
    const gets = Array.from({ length: 50 }, () => manager.get('cold'));
    release();
    const profiles = await Promise.all(gets);
    expect(store.calls.load).toBe(1);
    expect(new Set(profiles).size).toBe(1);
    expect(manager.stats()).toMatchObject({ loads: 1, joinedLoads: 49 });
  });

  it('shares a failure with every waiter, then retries on the next get', async () => {
    const store = createControlledStore([UserProfile.fromTier('pro', 'u')]);
    const manager = createProfileManager({}, { store });
    store.fail('load', Object.assign(new Error('connection reset'), { code: 'ECONNRESET' }));
    const errors = await Promise.all(Array.from({ length: 5 }, () => rejection(manager.get('u'))));
    expect(errors.every((error) => error.code === 'STORE_FAILED' && error.retryable)).toBe(true);
    expect(store.calls.load).toBe(1);
    store.fail('load', undefined);
    expect((await manager.get('u')).tier).toBe(TIER_PRESETS.pro);
  });

  it('an aborted caller stops waiting while the shared load fills the cache', async () => {
    const store = createControlledStore([UserProfile.fromTier('pro', 'u')]);
    const manager = createProfileManager({}, { store });
    const release = store.holdLoads();
    const controller = new AbortController();
    const aborted = manager.get('u', { abortSignal: controller.signal });
    const patient = manager.get('u');
    controller.abort();
    expect((await rejection(aborted)).code).toBe('ABORTED');
    release();
    expect((await patient).tier).toBe(TIER_PRESETS.pro);
    expect(manager.peek('u')).toBeDefined();
  });
});

describe('createProfileManager: unknown users', () => {
  it('creates a default-tier profile and saves it insert-if-absent', async () => {
    const time = clock(Date.UTC(2025, 0, 1));
    const store = createControlledStore();
    const manager = createProfileManager({ defaultTier: 'starter' }, { store, now: time.now });
    const profile = await manager.get('new_user');
    expect(profile.tier).toBe(TIER_PRESETS.starter);
    expect(profile.createdAt).toBe('2025-01-01T00:00:00.000Z');
    expect(store.calls.create).toBe(1);
    expect(await store.inner.load('new_user')).toBe(profile);
    expect(manager.stats().defaultsCreated).toBe(1);
  });

  it('keeps the profile another server created first', async () => {
    const store = createControlledStore();
    const manager = createProfileManager({}, { store });
    const release = store.holdLoads();
    const pending = manager.get('raced');
    await store.inner.save(UserProfile.fromTier('enterprise', 'raced')); // another server wins the race
    release();
    expect((await pending).tier).toBe(TIER_PRESETS.enterprise);
  });

  it('does not persist defaults when told not to, and uses a custom default tier', async () => {
    const store = createControlledStore();
    const manager = createProfileManager({ persistDefaults: false, defaultTier: { name: 'trial', budget: { dailyUsd: 0.5 } } }, { store });
    const profile = await manager.get('u');
    expect(profile.tier.name).toBe('trial');
    expect(store.inner.size).toBe(0);
  });

  it('never falls back to a default when the store fails', async () => {
    const store = createControlledStore([UserProfile.fromTier('enterprise', 'payer')]);
    store.fail('load', new Error('down'));
    const manager = createProfileManager({}, { store });
    const error = await rejection(manager.get('payer'));
    expect(error.code).toBe('STORE_FAILED');
    expect(error.message).toMatch(/payer[\s\S]*down/);
    expect(manager.peek('payer')).toBeUndefined();
  });

  it('rejects bad user ids', async () => {
    const manager = createProfileManager();
    expect((await rejection(manager.get(''))).code).toBe('INVALID_INPUT');
  });
});

describe('createProfileManager: writes', () => {
  it('updateTier saves and caches the new profile, keeping other dimensions', async () => {
    const store = createControlledStore([UserProfile.create({ userId: 'u', tier: 'free', telemetry: { tags: ['vip'] } })]);
    const manager = createProfileManager({}, { store });
    await manager.get('u');
    const upgraded = await manager.updateTier('u', 'pro');
    expect(upgraded.tier).toBe(TIER_PRESETS.pro);
    expect(upgraded.telemetry?.tags).toEqual(['vip']);
    expect(await manager.get('u')).toBe(upgraded);
    expect((await store.inner.load('u'))?.tier).toBe(TIER_PRESETS.pro);
  });

  it('a failed save leaves the cache consistent with the store', async () => {
    const store = createControlledStore([UserProfile.fromTier('free', 'u')]);
    const manager = createProfileManager({}, { store });
    await manager.get('u');
    store.fail('save', new Error('disk full'));
    const error = await rejection(manager.updateTier('u', 'pro'));
    expect(error.code).toBe('STORE_FAILED');
    expect(manager.peek('u')).toBeUndefined();
    expect((await manager.get('u')).tier).toBe(TIER_PRESETS.free);
    expect(manager.stats().failedWrites).toBe(1);
    store.fail('save', undefined);
    await rejection(manager.save(UserProfile.fromTier('pro', 'u'), { abortSignal: AbortSignal.abort() }));
    expect((await manager.get('u')).tier).toBe(TIER_PRESETS.free);
  });

  it('a load in flight during a save does not overwrite the saved profile in the cache', async () => {
    const store = createControlledStore([UserProfile.fromTier('free', 'u')]);
    const manager = createProfileManager({}, { store });
    const release = store.holdLoads();
    const staleRead = manager.get('u'); // will read... after the save below lands
    const saved = await manager.save(UserProfile.fromTier('business', 'u'));
    release();
    await staleRead;
    expect(manager.peek('u')).toBe(saved);
  });

  it('serializes concurrent updates of one user (no lost update)', async () => {
    const store = createControlledStore([UserProfile.create({ userId: 'u', telemetry: { tags: [] } })]);
    const manager = createProfileManager({}, { store });
    const addTag = (tag: string) => manager.update('u', (current) => current.with({ telemetry: { tags: [...(current.telemetry?.tags ?? []), tag] } }));
    await Promise.all(['a', 'b', 'c', 'd'].map(addTag));
    expect([...((await manager.get('u')).telemetry?.tags ?? [])].sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('update refuses to change the user id', async () => {
    const manager = createProfileManager();
    const error = await rejection(manager.update('u', () => UserProfile.fromTier('pro', 'someone-else')));
    expect(error.code).toBe('INVALID_INPUT');
  });

  it('delete removes from store and cache', async () => {
    const store = createControlledStore([UserProfile.fromTier('pro', 'u')]);
    const manager = createProfileManager({ persistDefaults: false }, { store });
    await manager.get('u');
    expect(await manager.delete('u')).toBe(true);
    expect(manager.peek('u')).toBeUndefined();
    expect((await manager.get('u')).tier).toBe(TIER_PRESETS.free);
  });
});

describe('createProfileManager: bulk and callbacks', () => {
  it('creates 1000 profiles in one saveMany and caches them', async () => {
    const store = createControlledStore();
    const manager = createProfileManager({ maxCacheSize: 2000 }, { store });
    const profiles = await manager.createBulk(Array.from({ length: 1000 }, (_, index) => ({ userId: `user_${index}`, tier: index % 2 ? ('pro' as const) : ('free' as const) })));
    expect(profiles).toHaveLength(1000);
    expect(store.calls.saveMany).toBe(1);
    expect(store.inner.size).toBe(1000);
    expect(manager.peek('user_1')?.tier).toBe(TIER_PRESETS.pro);
    await manager.get('user_999');
    expect(store.calls.load).toBe(0);
  });

  it('a failed bulk write caches nothing', async () => {
    const store = createControlledStore();
    store.fail('saveMany', new Error('constraint'));
    const manager = createProfileManager({}, { store });
    const error = await rejection(manager.createBulk([{ userId: 'a' }, UserProfile.fromTier('pro', 'b')]));
    expect(error.code).toBe('STORE_FAILED');
    expect(manager.stats().size).toBe(0);
  });

  it('bulk input is validated, naming the bad field', async () => {
    const manager = createProfileManager();
    const error = await rejection(manager.createBulk([{ userId: 'a', tier: 'pro', preferences: { maxRetries: -1 } }]));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toMatch(/preferences\.maxRetries/);
  });

  it('uses load/save callbacks for your own database, migrating stored JSON', async () => {
    const rows = new Map<string, string>([['legacy', JSON.stringify({ user_id: 'legacy', budget: { daily: 2 } })]]);
    const manager = createProfileManager(
      {},
      {
        load: (userId) => {
          const row = rows.get(userId);
          return row === undefined ? undefined : (JSON.parse(row) as unknown);
        },
        save: (profile) => {
          rows.set(profile.userId, JSON.stringify(profile));
        },
      },
    );
    expect((await manager.get('legacy')).effectiveBudget()).toEqual({ dailyUsd: 2 });
    await manager.updateTier('legacy', 'pro');
    expect(JSON.parse(rows.get('legacy')!)).toMatchObject({ schemaVersion: 1, tier: 'pro', limits: { budget: { dailyUsd: 2 } } });
    await manager.get('fresh');
    expect(rows.has('fresh')).toBe(true);
  });

  it('rejects a store together with callbacks, and bad config naming the field', () => {
    expect(() => createProfileManager({}, { store: createControlledStore(), load: () => undefined })).toThrowError(/either `store` or `load`/);
    expect(() => createProfileManager({ cacheTtlMs: -5 })).toThrowError(/cacheTtlMs/);
    expect(() => createProfileManager({ defaultTier: 'gold' as never })).toThrowError(/defaultTier/);
  });
});

describe('createProfileManager: wrong input and foreign data', () => {
  it('wrong argument types give INVALID_INPUT at the call', async () => {
    const store = createControlledStore([UserProfile.fromTier('pro', 'u')]);
    const manager = createProfileManager({}, { store });
    const calls: (() => Promise<unknown>)[] = [
      () => manager.get(42 as never),
      () => manager.get('u', { abortSignal: 'later' as never }),
      () => manager.get('u', 'options' as never),
      () => manager.save({ userId: 'u' } as never),
      () => manager.save(UserProfile.fromTier('pro', 'u'), { abortSignal: {} as never }),
      () => manager.update('u', 'pro' as never),
      () => manager.update(null as never, (current) => current),
      () => manager.updateTier('u', 'gold' as never),
      () => manager.updateTier('u', 42 as never),
      () => manager.updateTier('u', { name: 'not-defined-by-defineTier' } as never),
      () => manager.delete({} as never),
      () => manager.createBulk('u' as never),
      () => manager.createBulk([{ userId: 'v' }], { persist: 'yes' as never }),
    ];
    for (const call of calls) expect((await rejection(call())).code).toBe('INVALID_INPUT');
    for (const call of [() => manager.peek(7 as never), () => manager.invalidate({} as never)]) {
      expect(call).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
    // Nothing reached the store, and the user is unchanged.
    expect(store.calls.save + store.calls.saveMany + store.calls.delete).toBe(0);
    expect((await manager.get('u')).tier).toBe(TIER_PRESETS.pro);
  });

  it('refuses a profile a custom store returns for another user (no billing as the other user)', async () => {
    const other = UserProfile.fromTier('enterprise', 'f1');
    const manager = createProfileManager({}, { load: () => other });
    const error = await rejection(manager.get('c3'));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toMatch(/"c3"[\s\S]*"f1"/);
    expect(error.details).toMatchObject({ userId: 'c3', storedUserId: 'f1', reason: 'user_id_mismatch' });
    const json = createProfileManager({}, { load: () => other.toJSON() });
    expect((await rejection(json.get('c3'))).code).toBe('INVALID_CONFIG');
  });

  it('update retries a lost compare-and-swap with the other writer\'s change applied', async () => {
    const store = createControlledStore([UserProfile.fromTier('free', 'u')]);
    const manager = createProfileManager({}, { store });
    let calls = 0;
    const updated = await manager.update('u', (current) => {
      calls++;
      if (calls === 1) void store.inner.save(current.with({ roles: ['admin'] })); // another server writes in between
      return current.withTier('pro');
    });
    expect(calls).toBe(2);
    expect(updated.toJSON()).toMatchObject({ tier: 'pro', roles: ['admin'] });
    expect(manager.stats().updateConflicts).toBe(1);
  });
});
