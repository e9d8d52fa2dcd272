import { type CascadeError, type CascadeResult, type FinishReason, toPublicError } from '@cascade/core';
import type { CascadeStreamEvent } from '../events/stream-event';

/**
 * One part of the Vercel AI SDK UI message stream (protocol `v1`, header `x-vercel-ai-ui-message-stream`),
 * the subset a cascade produces. The SDK's `uiMessageChunkSchema` (`ai` package) is the reference.
 */
export type UIMessageChunk =
  | { type: 'start'; messageId?: string; messageMetadata?: unknown }
  | { type: 'start-step' }
  | { type: 'text-start'; id: string }
  | { type: 'text-delta'; id: string; delta: string }
  | { type: 'text-end'; id: string }
  | { type: 'tool-input-start'; toolCallId: string; toolName: string }
  | { type: 'tool-input-delta'; toolCallId: string; inputTextDelta: string }
  | { type: 'tool-input-available'; toolCallId: string; toolName: string; input: unknown }
  | { type: 'tool-output-available'; toolCallId: string; output: unknown }
  | { type: 'tool-output-error'; toolCallId: string; errorText: string }
  | { type: 'finish-step' }
  | { type: 'finish'; finishReason?: Exclude<FinishReason, 'unknown'>; messageMetadata?: unknown }
  | { type: 'error'; errorText: string };

/** Options of {@link toUIMessageChunks}. */
export interface UIMessageChunkOptions {
  /** Sent in the `start` part (the SDK generates one on the client when absent). */
  messageId?: string | undefined;
  /** Metadata of the finished message (`finish` part), e.g. `({ result }) => ({ costUsd: result.costUsd })`. Not sent by default. */
  messageMetadata?: ((event: { result: CascadeResult }) => unknown) | undefined;
  /** The `errorText` of an `error` part. @default the public message of the error (`toPublicError`) */
  onError?: ((error: CascadeError) => string) | undefined;
}

function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text; // the validator rejects such a call; the client still sees what was sent
  }
}

/**
 * Maps cascade events to UI message stream parts: text as `text-start`/`text-delta`/`text-end` (one text
 * part per run of text), tool calls as `tool-input-*`, tool results as `tool-output-*`, each tool-loop
 * step between `start-step`/`finish-step`, then `finish` with the finish reason, or one `error` part.
 * Costs, scores and model ids are not sent (add them with `messageMetadata` for a trusted client).
 * Feed it a stream whose mode never shows a rejected draft (`buffered`): the protocol cannot take text back.
 */
export async function* toUIMessageChunks(events: AsyncIterable<CascadeStreamEvent>, options: UIMessageChunkOptions = {}): AsyncGenerator<UIMessageChunk, void> {
  yield options.messageId !== undefined ? { type: 'start', messageId: options.messageId } : { type: 'start' };
  let stepOpen = false;
  /** Tool results were sent: the step that made the calls ends before the next output. */
  let afterResults = false;
  let textId: string | undefined;
  let parts = 0;
  const toolCallIds = new Map<number, { id: string; name: string }>();
  function* openStep(): Generator<UIMessageChunk> {
    if (afterResults) {
      afterResults = false;
      yield* closeStep();
    }
    if (stepOpen) return;
    stepOpen = true;
    yield { type: 'start-step' };
  }
  function* closeText(): Generator<UIMessageChunk> {
    if (textId === undefined) return;
    yield { type: 'text-end', id: textId };
    textId = undefined;
  }
  function* closeStep(): Generator<UIMessageChunk> {
    yield* closeText();
    if (!stepOpen) return;
    stepOpen = false;
    yield { type: 'finish-step' };
  }
  for await (const event of events) {
    switch (event.type) {
      case 'text-delta':
        if (event.text.length === 0) break;
        yield* openStep();
        if (textId === undefined) {
          textId = `text-${parts++}`;
          yield { type: 'text-start', id: textId };
        }
        yield { type: 'text-delta', id: textId, delta: event.text };
        break;
      case 'switch':
        // Only a failure of a live tier (or optimistic mode) can bring text that replaces shown text:
        // the new text goes in a new part, so the client can tell the two apart.
        if (event.discardText) yield* closeText();
        break;
      case 'tool-call-start':
        yield* openStep();
        yield* closeText();
        toolCallIds.set(event.index, { id: event.id, name: event.name });
        yield { type: 'tool-input-start', toolCallId: event.id, toolName: event.name };
        break;
      case 'tool-call-delta': {
        const call = toolCallIds.get(event.index);
        if (call) yield { type: 'tool-input-delta', toolCallId: call.id, inputTextDelta: event.argumentsDelta };
        break;
      }
      case 'tool-call-end':
        yield* openStep();
        yield { type: 'tool-input-available', toolCallId: event.toolCall.id, toolName: event.toolCall.function.name, input: parseArguments(event.toolCall.function.arguments) };
        break;
      case 'tool-result':
        // The step that made the calls ends after their results, when the next step's output begins.
        yield event.error !== undefined
          ? { type: 'tool-output-error', toolCallId: event.toolCallId, errorText: event.error }
          : { type: 'tool-output-available', toolCallId: event.toolCallId, output: event.content };
        afterResults = true;
        break;
      case 'finish': {
        yield* closeStep();
        const { finishReason } = event.result;
        const metadata = options.messageMetadata?.({ result: event.result });
        yield {
          type: 'finish',
          finishReason: finishReason === 'unknown' ? 'other' : finishReason,
          ...(metadata !== undefined ? { messageMetadata: metadata } : {}),
        };
        return;
      }
      case 'error':
        yield* closeText();
        yield { type: 'error', errorText: options.onError ? options.onError(event.error) : toPublicError(event.error).message };
        return;
      default:
        break;
    }
  }
}

/** A chunk as an SSE message (`data: <json>`), as the SDK's `JsonToSseTransformStream` writes it. */
export function formatUIMessageChunk(chunk: UIMessageChunk): string {
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/** The end of a UI message stream. */
export const UI_MESSAGE_STREAM_DONE = 'data: [DONE]\n\n';

/** Headers of a UI message stream response (the SDK's `UI_MESSAGE_STREAM_HEADERS`). */
export const UI_MESSAGE_STREAM_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-vercel-ai-ui-message-stream': 'v1',
  'x-accel-buffering': 'no',
});
