import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createProfileManager } from '../manager/profile-manager';
import { UserProfile } from '../profile/user-profile';
import { addTag, describeConcurrentUpdates } from '../store/__fixtures__/concurrent-updates';
import { createSqliteProfileStore } from './sqlite-profile-store';

const directory = mkdtempSync(join(tmpdir(), 'cascade-profiles-cas-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
const here = dirname(fileURLToPath(import.meta.url));
const TSX = resolve(here, '../../../../node_modules/.bin/tsx');

// Every store opens its own better-sqlite3 connection to one file, like separate server processes.
describeConcurrentUpdates('SQLite', async () => createSqliteProfileStore({ filename: join(directory, 'shared.db') }), async (store) => store.close?.());

describe('SQLite: updates from another process', () => {
  it('a child process updating the same file concurrently loses nothing (25 + 3 × 25 updates)', async () => {
    const filename = join(directory, 'process.db');
    const stores = Array.from({ length: 3 }, () => createSqliteProfileStore({ filename }));
    const managers = stores.map((store) => createProfileManager({}, { store }));
    await managers[0]!.save(UserProfile.create({ userId: 'shared', tier: 'starter', telemetry: { tags: [] } }));
    const child = spawn(TSX, ['--conditions=source', join(here, '__fixtures__/update-worker.ts'), filename, 'shared', '25', 'child'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const output: string[] = [];
    const exited = new Promise<number | null>((resolveExit) => child.once('exit', resolveExit));
    await new Promise<void>((ready, failed) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output.push(chunk.toString());
        if (output.join('').includes('ready')) ready();
      });
      child.once('exit', () => failed(new Error(`worker exited early: ${output.join('')}`)));
    });
    child.stdin.write('go\n');
    await Promise.all(managers.flatMap((manager, m) => Array.from({ length: 25 }, (_, i) => addTag(manager, 'shared', `parent${m}-${i}`))));
    expect(await exited).toBe(0);
    expect(output.join('')).toContain('done');
    const tags = (await stores[0]!.load('shared'))?.telemetry?.tags ?? [];
    expect(tags).toHaveLength(100);
    expect(tags.filter((tag) => tag.startsWith('child-'))).toHaveLength(25);
    for (const store of stores) await store.close();
  }, 60_000);
});
