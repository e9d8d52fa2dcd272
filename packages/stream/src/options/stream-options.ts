import { runOptionsSchema } from '@cascade/core';
import { z } from 'zod';

/** How drafts reach the client. See the package README for the trade-offs. */
export const streamModeSchema = z.enum(['optimistic', 'buffered', 'early-escalation']);

/** A streaming mode: `optimistic`, `buffered` or `early-escalation`. */
export type StreamMode = z.output<typeof streamModeSchema>;

/**
 * Per-call options of `streamCascade`: the agent's run options (same rules, strict) with a
 * `streamMode` in place of the pipeline mode, plus the early-escalation check interval.
 */
export const streamCascadeOptionsSchema = runOptionsSchema.omit({ mode: true }).extend({
  /** Streaming mode for this call. @default the policy's `streamMode`, else `'buffered'` (a rejected draft is never shown; `'optimistic'` streams drafts live for typed-event consumers that handle `switch`) */
  streamMode: streamModeSchema.optional(),
  /** @deprecated Use `streamMode` (same values; `mode` also names the pipeline mode of run options). Accepted until the next minor version. */
  mode: streamModeSchema.optional(),
  /**
   * Early escalation: how many characters a draft grows between two partial checks (a newline also
   * triggers one). Lower checks sooner and costs more CPU. @default 64
   */
  partialCheckChars: z.number().int().positive().default(64),
}).transform(({ mode, ...options }, context) => {
  if (mode === undefined) return options;
  if (options.streamMode !== undefined && options.streamMode !== mode) {
    context.addIssue({ code: 'custom', path: ['mode'], message: 'mode is the deprecated name of streamMode: set only streamMode' });
  }
  return { ...options, streamMode: options.streamMode ?? mode };
});

/** What callers pass to `streamCascade`. */
export type StreamCascadeOptions = z.input<typeof streamCascadeOptionsSchema>;
/** Parsed options. */
export type ParsedStreamCascadeOptions = z.output<typeof streamCascadeOptionsSchema>;
