import { z } from 'zod';
import { CascadeError } from './cascade-error';

/**
 * Parses `input` with `schema`; a failure becomes `INVALID_CONFIG` whose message names each bad
 * field (zod's prettified error) and whose cause is the ZodError.
 *
 * @param what - what is being configured, for the message ("createCascadeAgent config").
 */
export function parseConfig<Schema extends z.ZodType>(schema: Schema, input: unknown, what: string): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new CascadeError('INVALID_CONFIG', `Invalid ${what}:\n${z.prettifyError(parsed.error)}`, { cause: parsed.error });
}

/** Like {@link parseConfig} but for untrusted input at runtime (HTTP bodies, requests): `INVALID_INPUT`. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown, what: string): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new CascadeError('INVALID_INPUT', `Invalid ${what}:\n${z.prettifyError(parsed.error)}`, { cause: parsed.error });
}
