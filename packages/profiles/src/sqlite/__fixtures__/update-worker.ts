// A separate process updating one SQLite file: `tsx --conditions=source update-worker.ts <file> <userId> <count> <prefix>`.
// Prints "ready", waits for a line on stdin, runs <count> concurrent tag updates, prints "done".
import { createInterface } from 'node:readline';
import { createProfileManager } from '../../manager/profile-manager';
import { createSqliteProfileStore } from '../sqlite-profile-store';

const [filename, userId, count, prefix] = process.argv.slice(2) as [string, string, string, string];
const store = createSqliteProfileStore({ filename });
const manager = createProfileManager({}, { store });
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
await new Promise<void>((resolve) => lines.once('line', () => resolve()));
lines.close();
await Promise.all(
  Array.from({ length: Number(count) }, (_, index) =>
    manager.update(userId, (current) => current.with({ telemetry: { tags: [...(current.telemetry?.tags ?? []), `${prefix}-${index}`] } })),
  ),
);
await store.close();
process.stdout.write('done\n');
