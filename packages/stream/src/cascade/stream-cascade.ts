import { type CascadeAgent, CascadeError, type CascadeInput, normalizeInput, parseConfig } from '@cascade/core';
import { type ParsedStreamCascadeOptions, type StreamCascadeOptions, streamCascadeOptionsSchema } from '../options/stream-options';
import { type CascadeStream, CascadeStreamHub, type EventObserver } from './cascade-stream';
import { driveStream } from './drive-stream';
import { driveToolLoop } from './drive-tool-loop';

/**
 * Streams an answer through the cascade: the same pipeline as `agent.run` (profiles, limits, input
 * guards, reservations), with `doStream` calls, stream guards, and typed events. Returns at once;
 * the request starts when the stream is first read (or `result`, `usage`, `cost` is awaited).
 *
 * Modes (per call, else the policy's `streamMode`, else `optimistic`):
 * - `optimistic` streams each draft live; a rejected draft is followed by a `switch` event.
 * - `buffered` holds drafts until they pass validation; clients never see a rejected answer.
 * - `early-escalation` streams live and abandons a draft (cancelling its request) as soon as the
 *   validator's partial check says it is failing.
 *
 * A policy with `features.streaming === false` runs the non-streamed cascade and sends the answer once.
 *
 * With `tools` (and `maxSteps`), runs the tool loop of `agent.run`: each step streams as a cascade,
 * `tool-result` events follow each step's calls, and `finish` carries the result with every step.
 *
 * @param agent - from `createCascadeAgent`.
 * @param input - a prompt, messages, or a full request.
 * @param options - see {@link StreamCascadeOptions}; invalid options throw `INVALID_CONFIG` at once.
 * @throws `INVALID_CONFIG` at once for a missing agent or bad options; `INVALID_INPUT` for a bad input.
 * @returns a {@link CascadeStream}: async-iterable events, `textStream`, and `result`/`usage`/`cost` promises.
 * @example
 * const stream = streamCascade(agent, 'What is 17 * 23?', { streamMode: 'buffered', abortSignal });
 * for await (const event of stream) {
 *   if (event.type === 'text-delta') process.stdout.write(event.text);
 *   if (event.type === 'switch' && event.discardText) clearScreen();
 * }
 * const { modelId, costUsd } = await stream.result;
 */
export function streamCascade(agent: CascadeAgent, input: CascadeInput, options: StreamCascadeOptions = {}): CascadeStream {
  if (typeof (agent as Partial<CascadeAgent> | null | undefined)?.begin !== 'function') {
    throw new CascadeError('INVALID_CONFIG', 'streamCascade needs a CascadeAgent as its first argument: pass the agent from createCascadeAgent({ models }).');
  }
  const parsed = parseConfig(streamCascadeOptionsSchema, options, 'streamCascade options');
  // Wrong input fails here, at the call, not later as an error event.
  const request = normalizeInput(input);
  const controller = new AbortController();
  const callerSignal = parsed.abortSignal;
  const onAbort = (): void => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted === true) controller.abort(callerSignal.reason);
  else callerSignal?.addEventListener('abort', onAbort, { once: true });
  return new CascadeStreamHub(
    (sink, emit, forcedMode) => {
      const settings = forcedMode ? { ...parsed, streamMode: forcedMode } : parsed;
      return settings.tools ? driveToolLoop(agent, input, settings, controller.signal, sink, emit) : driveStream(agent, request, settings, controller.signal, sink, emit);
    },
    controller,
    () => callerSignal?.removeEventListener('abort', onAbort),
    parsed.streamMode,
    observerOf(parsed),
  );
}

/** The AI SDK style callbacks (`onChunk`, `onFinish`, `onError`) as one observer of the stream's events. */
function observerOf({ onChunk, onFinish, onError }: ParsedStreamCascadeOptions): EventObserver | undefined {
  if (!onChunk && !onFinish && !onError) return undefined;
  const report = (error: unknown): void => {
    try {
      const pending = onError?.({ error });
      if (pending instanceof Promise) pending.catch(() => undefined);
    } catch {
      // onError itself failed: nothing left to report it to, and the stream must go on.
    }
  };
  const call = (run: () => unknown): void => {
    try {
      const pending = run();
      if (pending instanceof Promise) pending.catch(report);
    } catch (error) {
      report(error);
    }
  };
  return (event) => {
    if (onChunk) call(() => onChunk({ chunk: event }));
    if (event.type === 'finish' && onFinish) {
      const { result } = event;
      call(() => onFinish({ text: result.text, finishReason: result.finishReason, usage: result.usage, costUsd: result.costUsd, modelId: result.modelId, result }));
    }
    if (event.type === 'error') report(event.error);
  };
}
