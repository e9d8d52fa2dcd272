import type { AuditStore } from '@cascade/profiles';
import { createPostgresAuditStore } from '@cascade/profiles/postgres';
import { createSqliteAuditStore } from '@cascade/profiles/sqlite';
import type { DemoStorage } from '../users/demo-storage';

/** The audit trail's store beside the demo's other state: the same SQLite file, or the same PostgreSQL schema. */
export function openDemoAuditStore(location: DemoStorage['location']): AuditStore {
  return location.kind === 'postgres'
    ? createPostgresAuditStore({ connectionString: location.url, schema: location.schema === 'public' ? undefined : location.schema })
    : createSqliteAuditStore({ filename: location.filename });
}
