import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserProfile } from '@cascade/profiles';
import { type DemoAgent, createDemoAgent } from '../../agent/create-demo-agent';
import { createDemoModels } from '../../agent/demo-models';
import { SAMPLE_TRACE_FILES } from '../../data/sample-files';
import { openDemoDatabase } from '../../users/demo-database';
import { type DemoServer, type DemoServerOptions, createDemoServer } from '../create-demo-server';
import { type LimitsBackend, openLimitsBackend } from '../limits-backend';
import type { AccessLogEntry } from '../request-log';

/**
 * A demo server on loopback with two tenants: alice (pro) and frank (free). Replay without pacing unless `speedup`.
 * Wired like `pnpm demo serve`: spend in the SQLite file's usage ledger, limits on
 * {@link openLimitsBackend} (memory, or Redis with `redisUrl`).
 */
export interface ServerFixture {
  baseURL: string;
  aliceKey: string;
  frankKey: string;
  logs: AccessLogEntry[];
  modelIds: readonly string[];
  /** Recorded prompts the replay can answer. */
  prompts: readonly string[];
  server: DemoServer;
  demo: DemoAgent;
  /** The SQLite file of profiles, keys and spend. */
  databaseFile: string;
  limits: LimitsBackend;
  close(): Promise<void>;
}

/** Options of {@link startServerFixture}. */
export interface ServerFixtureOptions {
  maxBodyBytes?: number;
  /** A SQLite file other fixtures share (left in place on close); default: a fresh file, removed on close. */
  databaseFile?: string;
  redisUrl?: string;
  limitsPrefix?: string;
  /** Replay pacing: recorded timing divided by this. @default false (instant) */
  speedup?: number | false;
  /** The server's SSE heartbeat. @default the server's */
  heartbeatMs?: number;
  /** Other server options (throttles, budgets, clock). */
  server?: Omit<DemoServerOptions, 'demo' | 'keys' | 'log'>;
}

export async function startServerFixture(options: ServerFixtureOptions = {}): Promise<ServerFixture> {
  const dir = options.databaseFile === undefined ? mkdtempSync(join(tmpdir(), 'cascade-demo-server-')) : undefined;
  const databaseFile = options.databaseFile ?? join(dir!, 'demo.sqlite');
  const database = openDemoDatabase(databaseFile);
  const models = await createDemoModels({ kind: 'replay', traceFiles: SAMPLE_TRACE_FILES, speedup: options.speedup ?? false });
  const limits = await openLimitsBackend({ redisUrl: options.redisUrl, prefix: options.limitsPrefix });
  const demo = createDemoAgent(models, { profileStore: database.profiles, usage: database.usage, limits: { store: limits.store, prefix: limits.prefix } });
  await demo.profiles.save(UserProfile.fromTier('pro', 'alice'));
  await demo.profiles.save(UserProfile.fromTier('free', 'frank'));
  const aliceKey = database.keys.create('alice', 'test').key;
  const frankKey = database.keys.create('frank', 'test').key;
  const logs: AccessLogEntry[] = [];
  const server = createDemoServer({
    ...options.server, demo, keys: database.keys, log: (entry) => logs.push(entry), ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
    ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
  });
  const address = await server.listen(0, '127.0.0.1');
  return {
    baseURL: `http://127.0.0.1:${address.port}/v1`,
    aliceKey,
    frankKey,
    logs,
    modelIds: demo.modelIds,
    prompts: models.traceSet!.traces.filter((trace) => trace.dataset === 'gsm8k').map((trace) => trace.prompt),
    server,
    demo,
    databaseFile,
    limits,
    async close() {
      await server.close(1_000);
      database.close();
      await limits.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
