// @cascade/profiles/postgres: the PostgreSQL profile store (optional peer dependency `pg`).
export {
  createPostgresProfileStore,
  postgresProfileStoreConfigSchema,
  type PostgresProfileStore,
  type PostgresProfileStoreConfig,
  type PostgresProfileStoreDependencies,
  type PostgresQueryable,
} from './postgres-profile-store';
export {
  createPostgresAuditStore,
  postgresAuditStoreConfigSchema,
  type PostgresAuditStore,
  type PostgresAuditStoreConfig,
  type PostgresAuditStoreDependencies,
} from './postgres-audit-store';
