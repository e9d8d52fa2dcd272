// @cascade/profiles/postgres: the PostgreSQL profile store (optional peer dependency `pg`).
export {
  createPostgresProfileStore,
  postgresProfileStoreConfigSchema,
  type PostgresProfileStore,
  type PostgresProfileStoreConfig,
  type PostgresProfileStoreDependencies,
  type PostgresQueryable,
} from './postgres-profile-store';
