import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ServerFixture, startServerFixture } from './__fixtures__/server-fixture';
import { IN_MEMORY_LIMITS_LINE, openLimitsBackend } from './limits-backend';

const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL) {
  if (process.env.CI === 'true') throw new Error('REDIS_URL is not set: CI must run the demo server\'s shared-state tests against a real Redis (e.g. redis://127.0.0.1:6379).');
  console.warn('Skipping the demo server\'s Redis tests (two servers sharing limits): set REDIS_URL (e.g. redis://127.0.0.1:6379) to run them.');
}

const APP_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TSX = join(APP_DIR, 'node_modules/.bin/tsx');
const RUN = `cascade-test:${randomUUID()}:`;

const client = (fixture: ServerFixture, key: string): OpenAI => new OpenAI({ apiKey: key, baseURL: fixture.baseURL, maxRetries: 0 });
const ask = (fixture: ServerFixture, key: string, prompt: string) => client(fixture, key).chat.completions.create({ model: 'cascade', messages: [{ role: 'user', content: prompt }] });
const usageOf = async (fixture: ServerFixture, key: string): Promise<Record<string, unknown>> => {
  const response = await fetch(`${fixture.baseURL}/usage`, { headers: { authorization: `Bearer ${key}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
};

/** Two servers on one SQLite file and one limits prefix (on Redis when `redisUrl`), like two processes behind a load balancer. */
async function startPair(redisUrl: string | undefined): Promise<{ a: ServerFixture; b: ServerFixture; file: string; prefix: string; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'cascade-demo-pair-'));
  const file = join(dir, 'demo.sqlite');
  const prefix = `${RUN}${randomUUID()}`;
  const options = { databaseFile: file, limitsPrefix: prefix, ...(redisUrl ? { redisUrl } : {}) };
  const a = await startServerFixture(options);
  const b = await startServerFixture(options);
  return {
    a, b, file, prefix,
    async close() {
      await Promise.all([a.close(), b.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.skipIf(!REDIS_URL)('two demo servers on one Redis and one SQLite file', () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = new Redis(REDIS_URL!, { maxRetriesPerRequest: 1 });
    await redis.ping();
  });
  afterAll(async () => {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${RUN}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
    await redis.quit();
  });

  it('a FREE tenant\'s requests split across both servers hit 429 at the tier\'s 10 per hour in total, not 2×', async () => {
    const pair = await startPair(REDIS_URL);
    cleanups.push(pair.close);
    expect([pair.a.limits.kind, pair.b.limits.kind]).toEqual(['redis', 'redis']);
    const prompts = pair.a.prompts;
    for (let index = 0; index < 10; index++) {
      const server = index % 2 === 0 ? pair.a : pair.b;
      const answer = await ask(server, index % 2 === 0 ? pair.a.frankKey : pair.b.frankKey, prompts[index]!);
      expect(answer.choices[0]!.message.content).toBeTruthy();
    }
    for (const [server, key] of [[pair.a, pair.a.frankKey], [pair.b, pair.b.frankKey]] as const) {
      const error = await ask(server, key, prompts[10]!).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      const rateError = error as InstanceType<typeof OpenAI.RateLimitError>;
      expect(rateError.code).toBe('RATE_LIMITED');
      expect(Number(rateError.headers?.get('retry-after'))).toBeGreaterThan(0);
    }
    // Another tenant is not affected, on either server.
    expect((await ask(pair.b, pair.b.aliceKey, prompts[0]!)).choices[0]!.message.content).toBeTruthy();
    // The counters are on Redis, under the prefix.
    // SCAN pages until the cursor returns to 0: one page may miss keys when other tests share the server.
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, page] = await redis.scan(cursor, 'MATCH', `${pair.prefix}*`, 'COUNT', 1000);
      keys.push(...page);
      cursor = next;
    } while (cursor !== '0');
    expect(keys.some((key) => key.includes('user:frank'))).toBe(true);
  });

  it('/v1/usage on server B shows spend made on server A, and survives a restart', async () => {
    const pair = await startPair(REDIS_URL);
    cleanups.push(pair.close);
    const first = await ask(pair.a, pair.a.aliceKey, pair.a.prompts[0]!);
    await ask(pair.a, pair.a.aliceKey, pair.a.prompts[1]!);
    const cost = (first as unknown as { cascade: { cost_usd: number } }).cascade.cost_usd;
    expect(cost).toBeGreaterThan(0);

    const onA = await usageOf(pair.a, pair.a.aliceKey);
    const onB = await usageOf(pair.b, pair.b.aliceKey);
    expect(onB).toEqual(onA);
    expect(onB).toMatchObject({ user: 'alice', tier: 'pro', requests: 2 });
    const spend = onB.spend_usd as { daily: number; weekly: number; monthly: number; total: number };
    expect(spend.total).toBeGreaterThan(cost * 0.99);
    expect(spend.daily).toBeCloseTo(spend.total, 12);
    expect(Object.keys(onB.by_model as object).length).toBeGreaterThan(0);
    // frank's view holds only frank.
    expect(await usageOf(pair.b, pair.b.frankKey)).toMatchObject({ user: 'frank', requests: 0, spend_usd: { total: 0 } });

    // A restarted server (a new process on the same file) still knows.
    const restarted = await startServerFixture({ databaseFile: pair.file, limitsPrefix: pair.prefix, redisUrl: REDIS_URL! });
    cleanups.push(restarted.close);
    expect(await usageOf(restarted, restarted.aliceKey)).toEqual(onA);
  });
});

describe('without REDIS_URL: limits stay in each process', () => {
  it('each server admits the FREE tier\'s full 10 per hour; spend is still shared through SQLite', async () => {
    const pair = await startPair(undefined);
    cleanups.push(pair.close);
    expect([pair.a.limits.kind, pair.a.limits.description]).toEqual(['memory', IN_MEMORY_LIMITS_LINE]);
    const prompts = pair.a.prompts;
    for (let index = 0; index < 10; index++) await ask(pair.a, pair.a.frankKey, prompts[index]!);
    await expect(ask(pair.a, pair.a.frankKey, prompts[10]!)).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    // Server B counts on its own: it still admits frank.
    expect((await ask(pair.b, pair.b.frankKey, prompts[0]!)).choices[0]!.message.content).toBeTruthy();
    expect(await usageOf(pair.b, pair.b.frankKey)).toMatchObject({ user: 'frank', requests: 11 });
  });

  it('an unreachable Redis is a clear STORE_FAILED before anything listens', async () => {
    await expect(openLimitsBackend({ redisUrl: 'redis://:secret@127.0.0.1:1', connectTimeoutMs: 1_000 })).rejects.toMatchObject({
      code: 'STORE_FAILED',
      message: expect.stringMatching(/Cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1 .*unset it/),
    });
    await expect(openLimitsBackend({ redisUrl: 'http://127.0.0.1:6379' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

/** `pnpm demo serve` as a child process; resolves once it printed its limits line. */
function startServe(env: NodeJS.ProcessEnv, args: string[] = []): { child: ChildProcess; output: () => string; exited: Promise<number | null>; started: Promise<string> } {
  const child = spawn(TSX, ['--conditions=source', 'src/cli/main.ts', 'serve', '--port', '0', '--no-pacing', ...args], { cwd: APP_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const started = new Promise<string>((resolveLine, reject) => {
    const onData = (): void => {
      const line = text.split('\n').find((candidate) => candidate.startsWith('limits: '));
      if (line) resolveLine(line);
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => reject(new Error(`serve exited (${code}) before listening:\n${text}`)));
  });
  started.catch(() => undefined);
  return { child, output: () => text, exited, started };
}

describe('pnpm demo serve (child process)', () => {
  const serveEnv = (extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv => {
    const dir = mkdtempSync(join(tmpdir(), 'cascade-demo-serve-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const env: NodeJS.ProcessEnv = { ...process.env, CASCADE_DEMO_DB: join(dir, 'demo.sqlite'), ...extra };
    delete env.OPENAI_API_KEY;
    delete env.OPENAI_BASE_URL;
    delete env.DATABASE_URL; // the SQLite file above, not PostgreSQL
    if (!('REDIS_URL' in extra)) delete env.REDIS_URL;
    return env;
  };

  it('says in one line that limits are in memory without REDIS_URL, and stops on SIGTERM', async () => {
    const serve = startServe(serveEnv({}));
    expect(await serve.started).toBe(IN_MEMORY_LIMITS_LINE);
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
  }, 30_000);

  it('exits non-zero with a clear error when Redis is unreachable', async () => {
    const serve = startServe(serveEnv({ REDIS_URL: 'redis://127.0.0.1:1' }));
    expect(await serve.exited).toBe(1);
    expect(serve.output()).toMatch(/STORE_FAILED: Cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
  }, 30_000);

  it.skipIf(!REDIS_URL)('uses REDIS_URL, and closes the connection on SIGTERM (the process exits)', async () => {
    const serve = startServe(serveEnv({ REDIS_URL: REDIS_URL!, CASCADE_REDIS_PREFIX: `${RUN}serve` }));
    expect(await serve.started).toMatch(/^limits: Redis redis:\/\/.* \(prefix cascade-test:.*serve\), shared by every server/);
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
  }, 30_000);
});
