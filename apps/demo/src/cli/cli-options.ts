import { resolve } from 'node:path';
import { CascadeError } from '@cascade/core';
import { z } from 'zod';
import { type ProviderConfig, providerFromEnv } from '../config/provider-config';
import { SAMPLE_TRACE_FILES } from '../data/sample-files';

/** Flags every command shares: where answers come from. */
export const providerFlagsSchema = z.object({
  traces: z.array(z.string().min(1)).optional(),
  speed: z.coerce.number().positive().max(10_000).default(10),
  'no-pacing': z.boolean().default(false),
});

/** Parses flag values with a schema; a bad flag is `INVALID_INPUT` naming it. */
export function parseFlags<T extends z.ZodType>(schema: T, values: unknown): z.output<T> {
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new CascadeError('INVALID_INPUT', `Invalid options: ${issues}.`, { cause: parsed.error });
  }
  return parsed.data;
}

/** The provider of a command: live models from the environment, else replay of `--traces` (default: the shipped sample). */
export function providerFromFlags(values: unknown, env: NodeJS.ProcessEnv = process.env): ProviderConfig {
  const flags = parseFlags(providerFlagsSchema, values);
  const traceFiles = flags.traces?.map((file) => resolve(process.env.INIT_CWD ?? process.cwd(), file)) ?? SAMPLE_TRACE_FILES;
  return providerFromEnv(env, { traceFiles, speedup: flags['no-pacing'] ? false : flags.speed });
}
