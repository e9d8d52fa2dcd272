import { CascadeError } from '@cascade/core';
import type pg from 'pg';

/** A schema or table name the demo puts in SQL: letters, digits and `_`, not starting with a digit. */
export function sqlName(name: string, what: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) throw new CascadeError('INVALID_CONFIG', `${what} "${name}" must be letters, digits and _ (at most 63, not starting with a digit).`);
  return `"${name}"`;
}

/** Runs `work` in one transaction on a client of `pool` (committed when it resolves, rolled back when it throws). */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** `STORE_FAILED` naming what failed on PostgreSQL. */
export const pgStoreError = (what: string, error: unknown): CascadeError =>
  CascadeError.isInstance(error) ? error : new CascadeError('STORE_FAILED', `PostgreSQL: ${what} failed: ${(error as Error).message}. Check DATABASE_URL and that the server is up.`, { cause: error });
