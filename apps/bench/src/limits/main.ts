/**
 * pnpm bench:limits [--json]
 *
 * Measures @cascade/limits on this machine, side by side with rate-limiter-flexible:
 * - memoryDecisionsPerSec: one core, `consumeSync`, a 3-window rule (1 s, 1 m, 1 h) limiting requests AND
 *   tokens in every window (6 counters per decision), 10,000 keys round-robin, every call allowed.
 *   memoryAsyncDecisionsPerSec: the same through `await limiter.consume()`.
 * - bytesPerKey: heap + ArrayBuffer growth per active key for that rule (200,000 keys, after GC).
 * - redis*: the same rule on Redis (one EVALSHA per decision); p50/p99 from sequential calls, decisions/s
 *   with 64 calls in flight. peer: rate-limiter-flexible RateLimiterRedis × 3 windows (requests only)
 *   in a RateLimiterUnion, same Redis, same load.
 *   redisUsecPerDecision (ours and peer): Redis CPU per decision in EVAL/EVALSHA (INFO commandstats deltas).
 * - overAdmitted: 4 child processes × 1,000 concurrent requests against one limit of 1,000 per hour.
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterUnion } from 'rate-limiter-flexible';
import { createMemoryStore, createRateLimiter, slidingWindow, type RateLimiterConfig } from '@cascade/limits';
import { createRedisStore } from '@cascade/limits/redis';

const JSON_OUTPUT = process.argv.includes('--json');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const HIGH = 1_000_000_000;
const RULE: RateLimiterConfig['limits'] = [
  { window: '1 s', requests: HIGH, tokens: HIGH },
  { window: '1 m', requests: HIGH, tokens: HIGH },
  { window: '1 h', requests: HIGH, tokens: HIGH },
];

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function log(message: string): void {
  if (!JSON_OUTPUT) console.log(message);
}

function usec(value: number | null): number | null {
  return value === null ? null : Number(value.toFixed(2));
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}

async function memoryThroughput(): Promise<{ sync: number; async: number; peer: number }> {
  const keys = Array.from({ length: 10_000 }, (_, index) => `user:${index}`);
  const limiter = createRateLimiter({ limits: RULE }, { store: createMemoryStore({ maxKeys: 20_000 }) });
  const options = { tokens: 250 };
  const best = { sync: 0, async: 0, peer: 0 };
  for (let round = 0; round < 5; round++) {
    const count = 2_000_000;
    let start = performance.now();
    for (let index = 0; index < count; index++) limiter.consumeSync(keys[index % 10_000]!, options);
    best.sync = Math.max(best.sync, count / ((performance.now() - start) / 1000));
    start = performance.now();
    for (let index = 0; index < count / 4; index++) await limiter.consume(keys[index % 10_000]!, options);
    best.async = Math.max(best.async, count / 4 / ((performance.now() - start) / 1000));
  }
  // Peer: rate-limiter-flexible memory, three request windows (no tokens).
  const peer = new RateLimiterUnion(
    new RateLimiterMemory({ points: HIGH, duration: 1, keyPrefix: 's' }),
    new RateLimiterMemory({ points: HIGH, duration: 60, keyPrefix: 'm' }),
    new RateLimiterMemory({ points: HIGH, duration: 3600, keyPrefix: 'h' }),
  );
  for (let round = 0; round < 3; round++) {
    const count = 300_000;
    const start = performance.now();
    for (let index = 0; index < count; index++) await peer.consume(keys[index % 10_000]!, 1);
    best.peer = Math.max(best.peer, count / ((performance.now() - start) / 1000));
  }
  return best;
}

function bytesPerKey(): number {
  const keyCount = 200_000;
  const keys = Array.from({ length: keyCount }, (_, index) => `user:${100_000 + index}`);
  gc();
  const before = process.memoryUsage();
  const store = createMemoryStore({ maxKeys: keyCount });
  const limiter = createRateLimiter({ limits: RULE }, { store });
  for (const key of keys) limiter.consumeSync(key, { tokens: 10 });
  gc();
  const after = process.memoryUsage();
  const bytes = after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers);
  if (store.stats().keys !== keyCount) throw new Error('not every key was kept');
  return bytes / keyCount;
}

interface RedisFigures {
  p50: number;
  p99: number;
  perSec: number;
  /** Redis CPU per decision in scripts (EVAL/EVALSHA), from INFO commandstats; null when unreadable. */
  usecPerDecision: number | null;
}

/**
 * `usec` of EVAL + EVALSHA in INFO commandstats (read before and after, never reset: the server may be
 * shared). Both limiters run only scripts, and a script's time includes the commands it calls.
 */
async function commandUsec(client: Redis): Promise<number | null> {
  try {
    const info = await client.info('commandstats');
    let total = 0;
    for (const match of info.matchAll(/^cmdstat_(?:evalsha|eval):calls=\d+,usec=(\d+)/gm)) total += Number(match[1]);
    return total;
  } catch {
    return null;
  }
}

async function measureRedis(client: Redis, decide: (key: string) => Promise<unknown>): Promise<RedisFigures> {
  for (let index = 0; index < 2_000; index++) await decide(`warm:${index % 100}`);
  const latencies: number[] = [];
  for (let index = 0; index < 10_000; index++) {
    const start = performance.now();
    await decide(`lat:${index % 1000}`);
    latencies.push(performance.now() - start);
  }
  latencies.sort((left, right) => left - right);
  const total = 40_000;
  let next = 0;
  const usecBefore = await commandUsec(client);
  const start = performance.now();
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < total) await decide(`tp:${next++ % 1000}`);
    }),
  );
  const perSec = total / ((performance.now() - start) / 1000);
  const usecAfter = await commandUsec(client);
  const usecPerDecision = usecBefore === null || usecAfter === null ? null : (usecAfter - usecBefore) / total;
  return { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), perSec, usecPerDecision };
}

async function redisFigures(client: Redis, prefix: string): Promise<{ ours: RedisFigures; peer: RedisFigures }> {
  const limiter = createRateLimiter({ prefix: `${prefix}ours`, limits: RULE }, { store: createRedisStore({ timeoutMs: 1_000 }, { client }) });
  const options = { tokens: 250 };
  const ours = await measureRedis(client, async (key) => {
    const decision = await limiter.consume(key, options);
    if (decision.reason !== 'allowed') throw new Error(`unexpected ${decision.reason}`);
  });
  const union = new RateLimiterUnion(
    new RateLimiterRedis({ storeClient: client, points: HIGH, duration: 1, keyPrefix: `${prefix}peer:s` }),
    new RateLimiterRedis({ storeClient: client, points: HIGH, duration: 60, keyPrefix: `${prefix}peer:m` }),
    new RateLimiterRedis({ storeClient: client, points: HIGH, duration: 3600, keyPrefix: `${prefix}peer:h` }),
  );
  const peer = await measureRedis(client, (key) => union.consume(key, 1));
  return { ours, peer };
}

async function overAdmission(prefix: string): Promise<number> {
  const limit = 1_000;
  const self = fileURLToPath(import.meta.url);
  // Every child connects, reports ready, and fires its 1,000 requests only when all are ready.
  let ready = 0;
  const children: ReturnType<typeof fork>[] = [];
  const counts = await Promise.all(
    Array.from({ length: 4 }, () => new Promise<number>((resolve, reject) => {
      const child = fork(self, ['--child', REDIS_URL, `${prefix}shared`, String(limit)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
      children.push(child);
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('message', () => {
        ready += 1;
        if (ready === 4) for (const each of children) each.send('go');
      });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(Number(output.trim())) : reject(new Error(`child exited with ${code}`))));
    })),
  );
  const admitted = counts.reduce((sum, count) => sum + count, 0);
  log(`  processes admitted ${counts.join(' + ')} = ${admitted} of limit ${limit}`);
  return Math.max(0, admitted - limit);
}

async function child(): Promise<void> {
  const [, redisUrl, prefix, limit] = process.argv.slice(process.argv.indexOf('--child'));
  const client = new Redis(redisUrl!, { maxRetriesPerRequest: 1 });
  await client.ping();
  const limiter = createRateLimiter({ prefix: prefix!, limits: [slidingWindow(Number(limit), '1 h')] }, { store: createRedisStore({ timeoutMs: 30_000 }, { client }) });
  await new Promise<void>((resolve) => {
    process.once('message', () => resolve());
    process.send!('ready');
  });
  const decisions = await Promise.all(Array.from({ length: 1_000 }, () => limiter.consume('one-limit')));
  process.stdout.write(String(decisions.filter((decision) => decision.allowed).length));
  await client.quit();
  process.disconnect();
}

async function cleanup(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await client.del(...keys);
  } while (cursor !== '0');
}

async function main(): Promise<void> {
  if (process.argv.includes('--child')) return child();
  log('@cascade/limits bench (rule: 1 s / 1 m / 1 h windows, requests + tokens in each = 6 counters)');
  const memory = await memoryThroughput();
  log(`memory: ${Math.round(memory.sync).toLocaleString()} decisions/s (consumeSync), ${Math.round(memory.async).toLocaleString()} (await consume); rate-limiter-flexible memory, 3 request windows: ${Math.round(memory.peer).toLocaleString()}`);
  const perKey = bytesPerKey();
  log(`memory: ${perKey.toFixed(0)} bytes per active key`);

  const result: Record<string, unknown> = {
    memoryDecisionsPerSec: Math.round(memory.sync),
    memoryAsyncDecisionsPerSec: Math.round(memory.async),
    memoryPeerDecisionsPerSec: Math.round(memory.peer),
    bytesPerKey: Math.round(perKey),
    redisP50Ms: null,
    redisP99Ms: null,
    redisDecisionsPerSec: null,
    overAdmitted: null,
    peer: { name: 'rate-limiter-flexible', redisDecisionsPerSec: null, redisP99Ms: null },
  };
  const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  const prefix = `cascade-bench:${randomUUID()}:`;
  try {
    await client.connect();
    const figures = await redisFigures(client, prefix);
    log(`redis (ours, 6 counters, 1 round trip): p50 ${figures.ours.p50.toFixed(3)} ms, p99 ${figures.ours.p99.toFixed(3)} ms, ${Math.round(figures.ours.perSec).toLocaleString()} decisions/s`);
    log(`redis (rate-limiter-flexible, 3 request windows): p50 ${figures.peer.p50.toFixed(3)} ms, p99 ${figures.peer.p99.toFixed(3)} ms, ${Math.round(figures.peer.perSec).toLocaleString()} decisions/s`);
    log(`redis server CPU per decision (INFO commandstats): ours ${usec(figures.ours.usecPerDecision)} µs, rate-limiter-flexible ${usec(figures.peer.usecPerDecision)} µs`);
    const over = await overAdmission(prefix);
    log(`over-admission with 4 processes × 1,000 concurrent requests: ${over}`);
    Object.assign(result, {
      redisP50Ms: Number(figures.ours.p50.toFixed(3)),
      redisP99Ms: Number(figures.ours.p99.toFixed(3)),
      redisDecisionsPerSec: Math.round(figures.ours.perSec),
      redisUsecPerDecision: usec(figures.ours.usecPerDecision),
      overAdmitted: over,
      peer: {
        name: 'rate-limiter-flexible',
        redisDecisionsPerSec: Math.round(figures.peer.perSec),
        redisP99Ms: Number(figures.peer.p99.toFixed(3)),
        redisUsecPerDecision: usec(figures.peer.usecPerDecision),
      },
    });
    await cleanup(client, prefix);
  } catch (error) {
    log(`redis: skipped (${error instanceof Error ? error.message : String(error)}); set REDIS_URL to a reachable server`);
  } finally {
    client.disconnect();
  }
  if (JSON_OUTPUT) console.log(JSON.stringify(result));
}

await main();
