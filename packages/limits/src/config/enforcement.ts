import type { z } from 'zod';

/** What a limiter does past its limit: deny (`block`) or allow and report (`warn`). */
export type Enforcement = 'block' | 'warn';

/**
 * Maps the deprecated config key `mode` to `enforcement` (issue 14: `mode` named three things;
 * limits say `enforcement`, like core's cost tracker) and applies the default `block`. The old key
 * is accepted until the next minor version; a different value under both is refused.
 */
export function renameModeToEnforcement<T extends { enforcement?: Enforcement | undefined; mode?: Enforcement | undefined }>(
  { mode, enforcement, ...config }: T,
  context: z.RefinementCtx,
): Omit<T, 'mode' | 'enforcement'> & { enforcement: Enforcement } {
  if (mode !== undefined && enforcement !== undefined && enforcement !== mode) {
    context.addIssue({ code: 'custom', path: ['mode'], message: 'mode is the deprecated name of enforcement: set only enforcement' });
  }
  return { ...config, enforcement: enforcement ?? mode ?? 'block' };
}
