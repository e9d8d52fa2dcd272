import { type CascadeAgent, CascadeError, type CascadeInput, normalizeInput, parseConfig } from '@cascade/core';
import { type StreamCascadeOptions, streamCascadeOptionsSchema } from '../options/stream-options';
import { type CascadeStream, CascadeStreamHub } from './cascade-stream';
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
    (sink, emit) => (parsed.tools ? driveToolLoop(agent, input, parsed, controller.signal, sink, emit) : driveStream(agent, request, parsed, controller.signal, sink, emit)),
    controller,
    () => callerSignal?.removeEventListener('abort', onAbort),
  );
}
