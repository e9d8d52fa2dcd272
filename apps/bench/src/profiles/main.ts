// pnpm bench:profiles [--json]
// Profiles created from a preset per second, cached get latency, bytes per cached profile, and
// SQLite / PostgreSQL load latency. PostgreSQL runs when DATABASE_URL is set.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type ProfileStore, TIER_PRESETS, UserProfile, createProfileManager } from '@cascade/profiles';
import { createPostgresProfileStore } from '@cascade/profiles/postgres';
import { createSqliteProfileStore } from '@cascade/profiles/sqlite';

const json = process.argv.includes('--json');
const log = (line: string): void => {
  if (!json) console.log(line);
};

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const collect = (): void => {
  for (let index = 0; index < 3; index++) gc();
};

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function ids(count: number, prefix: string): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}${index}`);
}

/** 1. Profiles from a preset: 1,000,000 `UserProfile.fromTier('pro', id)`, against a plain object literal. */
function benchCreate(): { createPerSec: number; createMillionMs: number; plainObjectPerSec: number; create1000Ms: number } {
  const count = 1_000_000;
  const userIds = ids(count, 'user_');
  const out: unknown[] = new Array(count);
  for (let index = 0; index < 200_000; index++) out[index] = UserProfile.fromTier('pro', userIds[index]!); // warm-up
  const runs: number[] = [];
  for (let run = 0; run < 3; run++) {
    const start = process.hrtime.bigint();
    for (let index = 0; index < count; index++) out[index] = UserProfile.fromTier('pro', userIds[index]!);
    runs.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const plainRuns: number[] = [];
  for (let run = 0; run < 3; run++) {
    const start = process.hrtime.bigint();
    for (let index = 0; index < count; index++) out[index] = { userId: userIds[index]!, tier: TIER_PRESETS.pro };
    plainRuns.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const small = process.hrtime.bigint();
  for (let index = 0; index < 1000; index++) out[index] = UserProfile.fromTier('free', userIds[index]!);
  const create1000Ms = Number(process.hrtime.bigint() - small) / 1e6;
  const best = Math.min(...runs);
  return {
    createPerSec: Math.round(count / (best / 1000)),
    createMillionMs: Number(best.toFixed(1)),
    plainObjectPerSec: Math.round(count / (Math.min(...plainRuns) / 1000)),
    create1000Ms: Number(create1000Ms.toFixed(3)),
  };
}

/** 2. Cached `await manager.get(id)` latency, each call timed alone, against `await` of a Map lookup. */
async function benchCachedGet(): Promise<{ cachedGetP50Us: number; cachedGetP99Us: number; mapGetP99Us: number }> {
  const users = 10_000;
  const manager = createProfileManager({ maxCacheSize: users }, {});
  const userIds = ids(users, 'cached_');
  await manager.createBulk(userIds.map((userId) => ({ userId, tier: 'pro' as const })), { persist: false });
  const map = new Map(userIds.map((userId) => [userId, manager.peek(userId)]));
  const samples = 200_000;
  const times = new Float64Array(samples);
  const mapTimes = new Float64Array(samples);
  for (let index = 0; index < 50_000; index++) await manager.get(userIds[index % users]!); // warm-up
  for (let index = 0; index < samples; index++) {
    const userId = userIds[(index * 7919) % users]!;
    const start = process.hrtime.bigint();
    await manager.get(userId);
    times[index] = Number(process.hrtime.bigint() - start) / 1000;
    const mapStart = process.hrtime.bigint();
    await Promise.resolve(map.get(userId));
    mapTimes[index] = Number(process.hrtime.bigint() - mapStart) / 1000;
  }
  times.sort();
  mapTimes.sort();
  if (manager.stats().misses !== 0) throw new Error('cached get bench missed the cache');
  return {
    cachedGetP50Us: Number(percentile(times, 0.5).toFixed(3)),
    cachedGetP99Us: Number(percentile(times, 0.99).toFixed(3)),
    mapGetP99Us: Number(percentile(mapTimes, 0.99).toFixed(3)),
  };
}

/** 3. Heap per cached profile: 100,000 distinct users cached by a manager (id string, profile, cache entry). */
async function benchMemory(): Promise<{ bytesPerProfile: number; bytesPerProfileWithPolicy: number }> {
  const users = 100_000;
  collect();
  const before = process.memoryUsage().heapUsed;
  const manager = createProfileManager({ maxCacheSize: users }, {});
  await manager.createBulk(
    Array.from({ length: users }, (_, index) => ({ userId: `mem_${index}_${(index * 2654435761) % 1e9}`, tier: index % 2 ? ('pro' as const) : ('free' as const) })),
    { persist: false },
  );
  collect();
  const after = process.memoryUsage().heapUsed;
  // Computing principal + policy for each (the middleware does) adds the per-user principal only: policies are shared per tier.
  for (let index = 0; index < users; index++) {
    const profile = manager.peek(`mem_${index}_${(index * 2654435761) % 1e9}`);
    profile?.toPrincipal();
    profile?.toPolicy();
  }
  collect();
  const withPolicy = process.memoryUsage().heapUsed;
  if (manager.stats().size !== users) throw new Error('memory bench lost cache entries');
  return { bytesPerProfile: Math.round((after - before) / users), bytesPerProfileWithPolicy: Math.round((withPolicy - before) / users) };
}

/** 4/5. Store load latency: 2,000 random `store.load(id)` over 10,000 stored profiles (parse + validate included). */
async function benchStoreLoads(store: ProfileStore): Promise<{ p50Ms: number; p99Ms: number; coldP99Ms: number }> {
  const users = 10_000;
  const profiles = Array.from({ length: users }, (_, index) =>
    index % 10 === 0
      ? UserProfile.create({
          userId: `load_${index}`,
          tier: 'business',
          organization: { id: 'acme', sharedBudget: { monthlyUsd: 5000 }, overrides: { quality: { target: 0.92 } } },
          preferences: { maxCostPerRequestUsd: 0.05, preferredModels: ['gpt-4o-mini'] },
          telemetry: { tags: ['bench'] },
        })
      : UserProfile.fromTier(index % 2 ? 'pro' : 'free', `load_${index}`),
  );
  await store.saveMany!(profiles);
  for (let index = 0; index < 200; index++) await store.load(`load_${index}`); // warm-up of the code paths
  // Cold: the first read of each row after the bulk insert (PostgreSQL sets hint bits on first read).
  // Steady: the same reads again, as a server sees rows it has read before.
  const samples = 2000;
  const measure = async (): Promise<Float64Array> => {
    const times = new Float64Array(samples);
    for (let index = 0; index < samples; index++) {
      const userId = `load_${(index * 4999) % users}`;
      const start = process.hrtime.bigint();
      const profile = await store.load(userId);
      times[index] = Number(process.hrtime.bigint() - start) / 1e6;
      if (!profile) throw new Error(`store lost ${userId}`);
    }
    return times.sort();
  };
  const cold = await measure();
  for (let index = 0; index < users; index++) await store.load(`load_${index}`);
  const times = await measure();
  return {
    p50Ms: Number(percentile(times, 0.5).toFixed(4)),
    p99Ms: Number(percentile(times, 0.99).toFixed(4)),
    coldP99Ms: Number(percentile(cold, 0.99).toFixed(4)),
  };
}

async function main(): Promise<void> {
  log('@cascade/profiles bench (Node ' + process.version + ')');
  const create = benchCreate();
  log(`create from preset: ${create.createPerSec.toLocaleString()}/s (1,000,000 in ${create.createMillionMs} ms; plain object literal ${create.plainObjectPerSec.toLocaleString()}/s); 1,000 in ${create.create1000Ms} ms`);
  const cached = await benchCachedGet();
  log(`cached get: p50 ${cached.cachedGetP50Us} µs, p99 ${cached.cachedGetP99Us} µs (await of a Map lookup: p99 ${cached.mapGetP99Us} µs)`);
  const memory = await benchMemory();
  log(`memory: ${memory.bytesPerProfile} B per cached profile (${memory.bytesPerProfileWithPolicy} B with principal + policy computed)`);

  const directory = mkdtempSync(join(tmpdir(), 'cascade-bench-profiles-'));
  let sqlite: { p50Ms: number; p99Ms: number; coldP99Ms: number };
  try {
    const store = createSqliteProfileStore({ filename: join(directory, 'profiles.db') });
    sqlite = await benchStoreLoads(store);
    await store.close();
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  log(`SQLite load (file, WAL, synchronous=FULL): p50 ${sqlite.p50Ms} ms, p99 ${sqlite.p99Ms} ms (first read after the bulk insert: p99 ${sqlite.coldP99Ms} ms)`);

  let postgres: { p50Ms: number; p99Ms: number; coldP99Ms: number } | null = null;
  const url = process.env['DATABASE_URL'];
  if (url) {
    const store = createPostgresProfileStore({ connectionString: url, tableName: `bench_profiles_${randomBytes(4).toString('hex')}` });
    try {
      postgres = await benchStoreLoads(store);
    } finally {
      await store.dropTable();
      await store.close();
    }
    log(`PostgreSQL load (loopback): p50 ${postgres.p50Ms} ms, p99 ${postgres.p99Ms} ms (first read after the bulk insert: p99 ${postgres.coldP99Ms} ms)`);
  } else {
    log('PostgreSQL load: skipped (set DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/test)');
  }

  if (json) {
    console.log(
      JSON.stringify({
        createPerSec: create.createPerSec,
        cachedGetP50Us: cached.cachedGetP50Us,
        cachedGetP99Us: cached.cachedGetP99Us,
        bytesPerProfile: memory.bytesPerProfile,
        sqliteLoadP99Ms: sqlite.p99Ms,
        postgresLoadP99Ms: postgres?.p99Ms ?? null,
        createMillionMs: create.createMillionMs,
        create1000Ms: create.create1000Ms,
        plainObjectPerSec: create.plainObjectPerSec,
        mapGetP99Us: cached.mapGetP99Us,
        bytesPerProfileWithPolicy: memory.bytesPerProfileWithPolicy,
        sqliteLoadP50Ms: sqlite.p50Ms,
        postgresLoadP50Ms: postgres?.p50Ms ?? null,
        sqliteColdLoadP99Ms: sqlite.coldP99Ms,
        postgresColdLoadP99Ms: postgres?.coldP99Ms ?? null,
        node: process.version,
      }),
    );
  }
}

await main();
