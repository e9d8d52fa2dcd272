import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserProfile } from '@cascade/profiles';
import { createDemoAgent } from '../../agent/create-demo-agent';
import { createDemoModels } from '../../agent/demo-models';
import { SAMPLE_TRACE_FILES } from '../../data/sample-files';
import { openDemoDatabase } from '../../users/demo-database';
import { type DemoServer, createDemoServer } from '../create-demo-server';
import type { AccessLogEntry } from '../request-log';

/** A demo server on loopback with two tenants: alice (pro) and frank (free). Replay without pacing. */
export interface ServerFixture {
  baseURL: string;
  aliceKey: string;
  frankKey: string;
  logs: AccessLogEntry[];
  modelIds: readonly string[];
  /** Recorded prompts the replay can answer. */
  prompts: readonly string[];
  server: DemoServer;
  close(): Promise<void>;
}

export async function startServerFixture(options: { maxBodyBytes?: number } = {}): Promise<ServerFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'cascade-demo-server-'));
  const database = openDemoDatabase(join(dir, 'demo.sqlite'));
  const models = await createDemoModels({ kind: 'replay', traceFiles: SAMPLE_TRACE_FILES, speedup: false });
  const demo = createDemoAgent(models, { profileStore: database.profiles });
  await demo.profiles.save(UserProfile.fromTier('pro', 'alice'));
  await demo.profiles.save(UserProfile.fromTier('free', 'frank'));
  const aliceKey = database.keys.create('alice', 'test').key;
  const frankKey = database.keys.create('frank', 'test').key;
  const logs: AccessLogEntry[] = [];
  const server = createDemoServer({ demo, keys: database.keys, log: (entry) => logs.push(entry), ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}) });
  const address = await server.listen(0, '127.0.0.1');
  return {
    baseURL: `http://127.0.0.1:${address.port}/v1`,
    aliceKey,
    frankKey,
    logs,
    modelIds: demo.modelIds,
    prompts: models.traceSet!.traces.filter((trace) => trace.dataset === 'gsm8k').map((trace) => trace.prompt),
    server,
    async close() {
      await server.close(1_000);
      database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
