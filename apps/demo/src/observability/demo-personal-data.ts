import { type DataSubjectRequests, createAuditTrail, createDataSubjectRequests, type PersonalDataSource } from '@cascade/profiles';
import { createPostgresAuditStore } from '@cascade/profiles/postgres';
import { createSqliteAuditStore } from '@cascade/profiles/sqlite';
import Database from 'better-sqlite3';
import type { DemoDatabase } from '../users/demo-database';

/** GDPR requests over the demo's data, and what to close after. */
export interface DemoPersonalData {
  readonly requests: DataSubjectRequests;
  close(): Promise<void>;
}

/**
 * GDPR access and erasure for one user of the demo: profile, API keys (hints, labels and dates; the
 * hashes are not personal data of use to anyone and are left out), usage rows in the SQLite file, and
 * the audit trail (SQLite file, or PostgreSQL with `DATABASE_URL`, as `serve` writes it).
 */
export function openDemoPersonalData(database: DemoDatabase, env: Readonly<Record<string, string | undefined>>): DemoPersonalData {
  const raw = new Database(database.filename);
  raw.pragma('busy_timeout = 5000');
  const usageRequests = raw.prepare<[string]>('SELECT day, requests FROM demo_usage_requests WHERE user_id = ? ORDER BY day');
  const usageCalls = raw.prepare<[string]>('SELECT day, model_id, calls, cost_usd, input_tokens, output_tokens FROM demo_usage_calls WHERE user_id = ? ORDER BY day, model_id');
  const eraseUsage = raw.transaction((userId: string) =>
    raw.prepare('DELETE FROM demo_usage_requests WHERE user_id = ?').run(userId).changes + raw.prepare('DELETE FROM demo_usage_calls WHERE user_id = ?').run(userId).changes);
  const usage: PersonalDataSource = {
    name: 'usage',
    export: async (userId) => ({ requests: usageRequests.all(userId), calls: usageCalls.all(userId) }),
    erase: async (userId) => eraseUsage(userId),
  };
  const keys: PersonalDataSource = {
    name: 'apiKeys',
    export: async (userId) => database.keys.list(userId).map((key) => ({ id: key.id, hint: key.hint, label: key.label, createdAt: key.createdAt })),
    erase: async (userId) => database.keys.deleteUserKeys(userId),
  };
  const store = env['DATABASE_URL'] ? createPostgresAuditStore({ connectionString: env['DATABASE_URL'] }) : createSqliteAuditStore({ filename: database.filename });
  const audit = createAuditTrail({}, { store });
  return {
    requests: createDataSubjectRequests({ profiles: database.profiles, audit, others: [keys, usage] }),
    async close() {
      await store.close();
      raw.close();
    },
  };
}
