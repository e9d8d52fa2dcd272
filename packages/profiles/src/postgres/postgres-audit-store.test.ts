import { randomBytes } from 'node:crypto';
import { afterAll, describe } from 'vitest';
import { describeAuditStoreContract } from '../audit/__fixtures__/audit-store-contract';
import { type PostgresAuditStore, createPostgresAuditStore } from './postgres-audit-store';

const DATABASE_URL = process.env['DATABASE_URL'];
if (!DATABASE_URL && process.env['CI'] === 'true') {
  throw new Error('DATABASE_URL is not set: under CI=true the PostgreSQL audit store tests must run. Point it at a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/test.');
}
if (!DATABASE_URL) console.warn('Skipping PostgreSQL audit store tests: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run them.');

const runId = `${process.pid}_${randomBytes(4).toString('hex')}`;
const stores: PostgresAuditStore[] = [];
let count = 0;

describe.skipIf(!DATABASE_URL)('createPostgresAuditStore', () => {
  afterAll(async () => {
    for (const store of stores) {
      await store.dropTable().catch(() => undefined);
      await store.close();
    }
  });
  describeAuditStoreContract('PostgreSQL', () => {
    const store = createPostgresAuditStore({ connectionString: DATABASE_URL!, tableName: `audit_test_${runId}_${count++}`, maxConnections: 2 });
    stores.push(store);
    return store;
  });
});
