import { z } from 'zod';
import { parseConfig } from '../errors/config-error';
import { agentPolicySchema } from '../policy/agent-policy';
import { principalSchema } from '../policy/principal';
import { timeoutMsSchema } from '../util/timeout-ms';

/** True for an AbortSignal (duck-typed: signals of other realms and polyfills pass). */
export const isAbortSignal = (value: unknown): value is AbortSignal =>
  typeof value === 'object' && value !== null && typeof (value as AbortSignal).aborted === 'boolean' && typeof (value as AbortSignal).addEventListener === 'function';

/** An `abortSignal` option. */
export const abortSignalSchema = z.custom<AbortSignal>(isAbortSignal, { message: 'abortSignal must be an AbortSignal' });

/** How a request entered the pipeline (see `PipelineMode`). */
export const pipelineModeSchema = z.enum(['run', 'stream', 'batch']);

/**
 * Per-call options of `agent.run` and `agent.begin`, with the same rules as configs: a bad or unknown
 * field throws `INVALID_CONFIG` naming it (`timeoutMs: NaN`, a policy with `qualityTarget: 7`, a typo).
 */
export const runOptionsSchema = z.strictObject({
  /** Who is asking, as known to the caller (e.g. from an API key); resolvers map it to a principal. */
  userId: z.string().min(1).optional(),
  /** A principal resolved by the caller. */
  principal: principalSchema.optional(),
  /** Narrows the policy for this call (models only ever narrow). */
  policy: agentPolicySchema.optional(),
  /** Cancels the request: the model call in flight and every reservation. */
  abortSignal: abortSignalSchema.optional(),
  /** Total time limit for the request, all tiers included, in ms (at most 2³¹−1). */
  timeoutMs: timeoutMsSchema.optional(),
  /** Your id for the request, echoed on the result. @default a random UUID */
  requestId: z.string().min(1).optional(),
  /** @default 'run' */
  mode: pipelineModeSchema.optional(),
});

/** Per-call options of `run` and `begin` (see {@link runOptionsSchema}). */
export type RunOptions = z.input<typeof runOptionsSchema>;

/** Parses run options; `undefined` and `{}` skip the parse (the hot path of most calls). */
export function parseRunOptions(options: unknown): z.output<typeof runOptionsSchema> {
  if (options === undefined) return {};
  if (typeof options === 'object' && options !== null && !Array.isArray(options) && Object.keys(options).length === 0) return options as RunOptions;
  return parseConfig(runOptionsSchema, options, 'run options');
}
