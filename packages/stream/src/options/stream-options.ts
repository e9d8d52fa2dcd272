import { abortSignalSchema, agentPolicySchema, principalSchema, timeoutMsSchema } from '@cascade/core';
import { z } from 'zod';

/** How drafts reach the client. See the package README for the trade-offs. */
export const streamModeSchema = z.enum(['optimistic', 'buffered', 'early-escalation']);

/** A streaming mode: `optimistic`, `buffered` or `early-escalation`. */
export type StreamMode = z.output<typeof streamModeSchema>;

/** Per-call options of `streamCascade`. */
export const streamCascadeOptionsSchema = z
  .object({
    /** Streaming mode for this call. @default the policy's `streamMode`, else `'buffered'` (a rejected draft is never shown; `'optimistic'` streams drafts live for typed-event consumers that handle `switch`) */
    mode: streamModeSchema.optional(),
    /** Who is asking, as known to the caller (e.g. from an API key); resolvers map it to a principal. */
    userId: z.string().min(1).optional(),
    /** A principal resolved by the caller. */
    principal: principalSchema.optional(),
    /** Narrows the policy for this call. */
    policy: agentPolicySchema.optional(),
    /** Cancels the request: the model call in flight (down to its HTTP request) and every reservation. */
    abortSignal: abortSignalSchema.optional(),
    /** Total time limit for the request, all tiers included, in ms (at most 2³¹−1; longer is refused). */
    timeoutMs: timeoutMsSchema.optional(),
    requestId: z.string().min(1).optional(),
    /**
     * Early escalation: how many characters a draft grows between two partial checks (a newline also
     * triggers one). Lower checks sooner and costs more CPU. @default 64
     */
    partialCheckChars: z.number().int().positive().default(64),
  })
  .strict();

/** What callers pass to `streamCascade`. */
export type StreamCascadeOptions = z.input<typeof streamCascadeOptionsSchema>;
/** Parsed options. */
export type ParsedStreamCascadeOptions = z.output<typeof streamCascadeOptionsSchema>;
