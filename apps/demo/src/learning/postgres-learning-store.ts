import { type LearningState, type LearningStore, addLearningStates } from '@cascade/core';
import type pg from 'pg';
import { inTransaction, pgStoreError } from '../users/postgres-sql';

/** The DDL of the learned-state table in `schema` (a quoted name). */
export const learningTableSql = (schema: string): string => `CREATE TABLE IF NOT EXISTS ${schema}.demo_learning_state (
  key text PRIMARY KEY,
  state jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
)`;

/**
 * The cascade's learned state (core's `LearningStore`) in a PostgreSQL row shared by every host.
 * `merge` never overwrites the other hosts' labels: in one transaction it locks the row
 * (`SELECT … FOR UPDATE`), adds the delta a process learned since its last sync to what the row
 * holds (core's `addLearningStates`), writes the sum and returns it, so each host picks up the
 * others' labels at every sync.
 *
 * @throws CascadeError `STORE_FAILED` when PostgreSQL fails.
 */
export function createPostgresLearningStore(pool: pg.Pool, schema: string, options: { key?: string } = {}): LearningStore {
  const key = options.key ?? 'default';
  const table = `${schema}.demo_learning_state`;
  return {
    async load() {
      try {
        const result = await pool.query(`SELECT state FROM ${table} WHERE key = $1`, [key]);
        return result.rows[0]?.state as LearningState | undefined;
      } catch (error) {
        throw pgStoreError(`reading the learned state "${key}"`, error);
      }
    },
    async save(state) {
      try {
        await pool.query(`INSERT INTO ${table} (key, state) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO UPDATE SET state = excluded.state, updated_at = now()`, [key, JSON.stringify(state)]);
      } catch (error) {
        throw pgStoreError(`saving the learned state "${key}"`, error);
      }
    },
    async merge(delta) {
      try {
        return await inTransaction(pool, async (client) => {
          await client.query(`INSERT INTO ${table} (key, state) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO NOTHING`, [key, JSON.stringify({ version: 1, states: [] })]);
          const row = await client.query(`SELECT state FROM ${table} WHERE key = $1 FOR UPDATE`, [key]);
          const merged = addLearningStates(row.rows[0]?.state as LearningState | undefined, delta);
          await client.query(`UPDATE ${table} SET state = $2::jsonb, updated_at = now() WHERE key = $1`, [key, JSON.stringify(merged)]);
          return merged;
        });
      } catch (error) {
        throw pgStoreError(`merging into the learned state "${key}"`, error);
      }
    },
  };
}
