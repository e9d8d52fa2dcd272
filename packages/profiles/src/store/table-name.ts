import { z } from 'zod';

/** A SQL identifier the stores accept for table and schema names: letters, digits, underscores. */
export const sqlIdentifierSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'must be a SQL identifier: a letter or underscore, then letters, digits or underscores (at most 63)');

/** Quotes a validated identifier for SQL. */
export function quoteIdentifier(name: string): string {
  return `"${name}"`;
}
