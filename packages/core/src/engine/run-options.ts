import { z } from 'zod';
import { parseConfig } from '../errors/config-error';
import { agentPolicySchema } from '../policy/agent-policy';
import { principalSchema } from '../policy/principal';
import { timeoutMsSchema } from '../util/timeout-ms';
import type { ExecutableTool } from '../tools/executable-tool';

const isExecutableTool = (value: unknown): value is ExecutableTool =>
  typeof value === 'object' && value !== null && typeof (value as ExecutableTool).parameters === 'object' && (value as ExecutableTool).parameters !== null &&
  ((value as ExecutableTool).execute === undefined || typeof (value as ExecutableTool).execute === 'function');

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
  /**
   * Tools by name for a tool loop: the model sees their schemas, calls to them run `execute` and
   * feed the results back, one cascade per step (see `tool()`). Tools in `request.tools` without an
   * entry here are offered too; calls to them end the loop and come back in `result.toolCalls`.
   */
  tools: z.record(z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'tool names are 1-64 letters, digits, _ or -'), z.custom<ExecutableTool>(isExecutableTool, { message: 'a tool needs parameters (a JSON schema object or a zod schema) and, optionally, an execute function' })).optional(),
  /** Most model steps of a tool loop (each one cascade). @default 5 */
  maxSteps: z.number().int().min(1).max(100).optional(),
});

/** Per-call options of `run` and `begin` (see {@link runOptionsSchema}). */
export type RunOptions = z.input<typeof runOptionsSchema>;

/** Parses run options; `undefined` and `{}` skip the parse (the hot path of most calls). */
export function parseRunOptions(options: unknown): z.output<typeof runOptionsSchema> {
  if (options === undefined) return {};
  if (typeof options === 'object' && options !== null && !Array.isArray(options) && Object.keys(options).length === 0) return options as RunOptions;
  return parseConfig(runOptionsSchema, options, 'run options');
}
