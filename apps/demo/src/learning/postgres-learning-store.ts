import type { LearningState, LearningStore } from '@cascade/core';
import type pg from 'pg';
import { inTransaction, pgStoreError } from '../users/postgres-sql';
import { mergeLearningState } from './merge-learning-state';

/** The DDL of the learned-state table in `schema` (a quoted name). */
export const learningTableSql = (schema: string): string => `CREATE TABLE IF NOT EXISTS ${schema}.demo_learning_state (
  key text PRIMARY KEY,
  state jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
)`;

/**
 * The cascade's learned state (core's `LearningStore`) in a PostgreSQL row shared by every host.
 * A save never overwrites the other hosts' labels: in one transaction it locks the row
 * (`SELECT … FOR UPDATE`), adds what this process learned since its last load or save to what the
 * row holds ({@link mergeLearningState}), and writes the sum. Each process picks up the others'
 * labels at its next start (core loads the state once).
 *
 * @throws CascadeError `STORE_FAILED` when PostgreSQL fails.
 */
export function createPostgresLearningStore(pool: pg.Pool, schema: string, options: { key?: string } = {}): LearningStore {
  const key = options.key ?? 'default';
  const table = `${schema}.demo_learning_state`;
  /** What this process last loaded or saved: the base its next delta is measured from. */
  let base: LearningState | undefined;
  let saving: Promise<void> = Promise.resolve();
  return {
    async load() {
      try {
        const result = await pool.query(`SELECT state FROM ${table} WHERE key = $1`, [key]);
        const state = result.rows[0]?.state as LearningState | undefined;
        base = state === undefined ? undefined : structuredClone(state);
        return state;
      } catch (error) {
        throw pgStoreError(`reading the learned state "${key}"`, error);
      }
    },
    save(local) {
      // One save at a time per process: each delta is measured from the previous save.
      const next = saving.then(async () => {
        try {
          await inTransaction(pool, async (client) => {
            await client.query(`INSERT INTO ${table} (key, state) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO NOTHING`, [key, JSON.stringify({ version: 1, states: [] })]);
            const row = await client.query(`SELECT state FROM ${table} WHERE key = $1 FOR UPDATE`, [key]);
            const stored = row.rows[0]?.state as LearningState | undefined;
            const merged = mergeLearningState(stored, base, local);
            await client.query(`UPDATE ${table} SET state = $2::jsonb, updated_at = now() WHERE key = $1`, [key, JSON.stringify(merged)]);
          });
          base = structuredClone(local);
        } catch (error) {
          throw pgStoreError(`saving the learned state "${key}"`, error);
        }
      });
      saving = next.catch(() => undefined);
      return next;
    },
  };
}
