import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserProfile } from '@cascade/profiles';
import { Redis } from 'ioredis';
import OpenAI from 'openai';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTraceSet } from '../data/trace-set';
import { SAMPLE_TRACE_FILES } from '../data/sample-files';
import { type PostgresDemoDatabase, openPostgresDemoDatabase } from '../users/postgres-demo-database';

const { DATABASE_URL, REDIS_URL } = process.env;
if (!DATABASE_URL || !REDIS_URL) {
  if (process.env.CI === 'true') throw new Error('DATABASE_URL and REDIS_URL must be set: CI must run two demo servers on a real PostgreSQL and Redis (postgres://postgres@127.0.0.1:5432/test, redis://127.0.0.1:6379).');
  console.warn('Skipping the two-host test (two `pnpm demo serve` on PostgreSQL + Redis): set DATABASE_URL and REDIS_URL to run it.');
}

const APP_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TSX = join(APP_DIR, 'node_modules/.bin/tsx');
const RUN = randomUUID().replaceAll('-', '');
const SCHEMA = `cascade_test_hosts_${RUN}`;
const PREFIX = `cascade-test:${RUN}:limits`;

interface Host {
  child: ChildProcess;
  baseURL: string;
  output(): string;
  exited: Promise<number | null>;
}

/** `pnpm demo serve` as a child process on the shared PostgreSQL schema and Redis prefix, like one host behind a load balancer. */
async function startHost(): Promise<Host> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL, CASCADE_PG_SCHEMA: SCHEMA, REDIS_URL, CASCADE_REDIS_PREFIX: PREFIX };
  delete env.OPENAI_API_KEY;
  delete env.OPENAI_BASE_URL;
  delete env.CASCADE_DEMO_DB;
  const child = spawn(TSX, ['--conditions=source', 'src/cli/main.ts', 'serve', '--port', '0', '--no-pacing'], { cwd: APP_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const baseURL = await new Promise<string>((done, fail) => {
    const onData = (): void => {
      const match = /Cascade demo server on (http:\/\/\S+\/v1)/.exec(text);
      // The banner is several writes: wait for its last line, so later checks see all of it.
      if (match && text.includes('Try: curl')) done(match[1]!);
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => fail(new Error(`serve exited (${code}) before listening:\n${text}`)));
  });
  return { child, baseURL, output: () => text, exited };
}

describe.skipIf(!DATABASE_URL || !REDIS_URL)('two `pnpm demo serve` processes on one PostgreSQL and one Redis', () => {
  let database: PostgresDemoDatabase;
  let hosts: Host[] = [];
  let prompts: string[];
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    database = await openPostgresDemoDatabase(DATABASE_URL!, { schema: SCHEMA });
    await database.profiles.save(UserProfile.fromTier('pro', 'alice'));
    await database.profiles.save(UserProfile.fromTier('free', 'frank'));
    keys.alice = (await database.keys.create('alice', 'test')).key;
    keys.frank = (await database.keys.create('frank', 'test')).key;
    prompts = (await loadTraceSet(SAMPLE_TRACE_FILES)).traces.filter((trace) => trace.dataset === 'gsm8k').map((trace) => trace.prompt);
    hosts = await Promise.all([startHost(), startHost()]);
    for (const host of hosts) expect(host.output()).toMatch(/Database PostgreSQL postgres:\/\/.*\(schema cascade_test_hosts_/);
  }, 60_000);

  afterAll(async () => {
    for (const host of hosts) host.child.kill('SIGTERM');
    const codes = await Promise.all(hosts.map((host) => host.exited));
    await database?.close();
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
    await client.end();
    const redis = new Redis(REDIS_URL!);
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${PREFIX}*`, 'COUNT', 1000);
      cursor = next;
      if (found.length > 0) await redis.del(...found);
    } while (cursor !== '0');
    await redis.quit();
    expect(codes).toEqual([0, 0]);
  }, 60_000);

  const client = (host: Host, key: string): OpenAI => new OpenAI({ apiKey: key, baseURL: host.baseURL, maxRetries: 0 });
  const ask = (host: Host, key: string, prompt: string) => client(host, key).chat.completions.create({ model: 'cascade', messages: [{ role: 'user', content: prompt }] });
  const usageOn = async (host: Host, key: string): Promise<{ requests: number; spend_usd: { total: number } }> => {
    const response = await fetch(`${host.baseURL}/usage`, { headers: { authorization: `Bearer ${key}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as { requests: number; spend_usd: { total: number } };
  };

  it('a key made by an admin on the database works on both hosts; a revoked one on neither', async () => {
    const [a, b] = hosts as [Host, Host];
    expect((await client(a, keys.alice!).models.list()).data.length).toBeGreaterThan(0);
    expect((await client(b, keys.alice!).models.list()).data.length).toBeGreaterThan(0);
    const extra = await database.keys.create('alice', 'to revoke');
    expect((await client(b, extra.key).models.list()).data.length).toBeGreaterThan(0);
    expect(await database.keys.revoke(extra.record.id)).toBe(true);
    for (const host of hosts) await expect(client(host, extra.key).models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  }, 60_000);

  it('a key made with `pnpm demo admin create-key` (DATABASE_URL) while both hosts run is accepted by both', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL, CASCADE_PG_SCHEMA: SCHEMA };
    delete env.CASCADE_DEMO_DB;
    const output = await new Promise<string>((done, fail) => {
      const child = spawn(TSX, ['--conditions=source', 'src/cli/main.ts', 'admin', 'create-key', 'alice', '--label', 'cli'], { cwd: APP_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.once('exit', (code) => (code === 0 ? done(text) : fail(new Error(`admin create-key exited ${code}:\n${text}`))));
    });
    const key = output.trim().split('\n').at(-1)!;
    expect(key).toMatch(/^csk_/);
    for (const host of hosts) expect((await client(host, key).models.list()).data.length).toBeGreaterThan(0);
  }, 60_000);

  it('spend made on host A shows in /v1/usage on host B', async () => {
    const [a, b] = hosts as [Host, Host];
    const answer = await ask(a, keys.alice!, prompts[0]!);
    const cost = (answer as unknown as { cascade: { cost_usd: number } }).cascade.cost_usd;
    expect(cost).toBeGreaterThan(0);
    await ask(b, keys.alice!, prompts[1]!);
    // Usage is written off the response path: B sees it once A's write landed.
    await expect.poll(async () => (await usageOn(b, keys.alice!)).requests, { timeout: 10_000 }).toBe(2);
    const onA = await usageOn(a, keys.alice!);
    const onB = await usageOn(b, keys.alice!);
    expect(onB).toEqual(onA);
    expect(onB.spend_usd.total).toBeGreaterThan(cost * 0.99);
  }, 60_000);

  it('a FREE tenant gets the tier\'s 10 requests per hour across both hosts, not 10 on each', async () => {
    const [a, b] = hosts as [Host, Host];
    for (let index = 0; index < 10; index++) {
      const answer = await ask(index % 2 === 0 ? a : b, keys.frank!, prompts[index]!);
      expect(answer.choices[0]!.message.content).toBeTruthy();
    }
    for (const host of hosts) {
      const error = await ask(host, keys.frank!, prompts[10]!).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      expect((error as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('RATE_LIMITED');
    }
    await expect.poll(async () => (await usageOn(a, keys.frank!)).requests, { timeout: 10_000 }).toBe(10);
  }, 60_000);
});
