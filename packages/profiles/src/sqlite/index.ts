// @cascade/profiles/sqlite: the SQLite profile store (optional peer dependency `better-sqlite3`).
export {
  createSqliteProfileStore,
  sqliteProfileStoreConfigSchema,
  type SqliteProfileStore,
  type SqliteProfileStoreConfig,
  type SqliteProfileStoreDependencies,
} from './sqlite-profile-store';
export { createSqliteAuditStore, sqliteAuditStoreConfigSchema, type SqliteAuditStoreConfig, type SqliteAuditStoreDependencies } from './sqlite-audit-store';
