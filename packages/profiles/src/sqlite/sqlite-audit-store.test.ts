import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { describeAuditStoreContract } from '../audit/__fixtures__/audit-store-contract';
import type { AuditStore } from '../audit/audit-store';
import { createSqliteAuditStore } from './sqlite-audit-store';

const directory = mkdtempSync(join(tmpdir(), 'cascade-audit-'));
const stores: AuditStore[] = [];
let count = 0;
afterAll(async () => {
  for (const store of stores) await store.close();
  rmSync(directory, { recursive: true, force: true });
});

describeAuditStoreContract('SQLite', () => {
  const store = createSqliteAuditStore({ filename: join(directory, `audit-${count++}.db`) });
  stores.push(store);
  return store;
});
