import { type CascadeResult, type FinishReason, type TokenUsage, runOptionsSchema } from '@cascade/core';
import { z } from 'zod';
import type { CascadeStreamEvent } from '../events/stream-event';

/** How drafts reach the client. See the package README for the trade-offs. */
export const streamModeSchema = z.enum(['optimistic', 'buffered', 'early-escalation']);

/** A streaming mode: `optimistic`, `buffered` or `early-escalation`. */
export type StreamMode = z.output<typeof streamModeSchema>;

/** What `onFinish` receives: the accepted answer and what the whole request cost (AI SDK's `onFinish`, with costs). */
export interface StreamFinishEvent {
  /** The accepted answer's text (never a rejected draft's). */
  text: string;
  finishReason: FinishReason;
  /** Usage of every model call of the request. */
  usage: TokenUsage;
  /** Cost in USD of every model call of the request. */
  costUsd: number;
  /** The model whose answer was accepted. */
  modelId: string;
  /** The full result, as `agent.run` returns it. */
  result: CascadeResult;
}

const callback = <Callback extends (...args: never[]) => unknown>(what: string) =>
  z.custom<Callback>((value) => typeof value === 'function', { message: `${what} must be a function` });

/**
 * The Vercel AI SDK's stream callbacks, mapped to the cascade. They run as events are produced (once the
 * stream is read, e.g. by an HTTP helper); a callback that throws or rejects is reported to `onError`
 * and never breaks the stream.
 */
export const streamCallbacksSchema = z.strictObject({
  /** Every event, as `{ chunk }` (what the mode lets through: in `buffered`, only accepted drafts' text). */
  onChunk: callback<(event: { chunk: CascadeStreamEvent }) => unknown>('onChunk').optional(),
  /** Once, after a successful request: text, finish reason, usage, `costUsd`, the full result. */
  onFinish: callback<(event: StreamFinishEvent) => unknown>('onFinish').optional(),
  /** Once for a failed or aborted request (a `CascadeError`), and for anything another callback threw. */
  onError: callback<(event: { error: unknown }) => unknown>('onError').optional(),
});

/**
 * Per-call options of `streamCascade` (as an object schema, to derive others from): the agent's run options (same rules, strict) with a
 * `streamMode` in place of the pipeline mode, plus the early-escalation check interval.
 */
export const streamCascadeOptionsObjectSchema = runOptionsSchema.omit({ mode: true }).extend({
  /** Streaming mode for this call. @default the policy's `streamMode`, else `'buffered'` (a rejected draft is never shown; `'optimistic'` streams drafts live for typed-event consumers that handle `switch`) */
  streamMode: streamModeSchema.optional(),
  /** @deprecated Use `streamMode` (same values; `mode` also names the pipeline mode of run options). Accepted until the next minor version. */
  mode: streamModeSchema.optional(),
  /**
   * Early escalation: how many characters a draft grows between two partial checks (a newline also
   * triggers one). Lower checks sooner and costs more CPU. @default 64
   */
  partialCheckChars: z.number().int().positive().default(64),
}).extend(streamCallbacksSchema.shape);

/** {@link streamCascadeOptionsObjectSchema} with the deprecated `mode` mapped to `streamMode`. */
export const streamCascadeOptionsSchema = streamCascadeOptionsObjectSchema.transform(({ mode, ...options }, context) => {
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
