import { type FinishReason, type TokenUsage, parseConfig } from '@cascade/core';
import { z } from 'zod';
import type { SseStreamEvent } from '../events/sse-source';
import { openAIErrorBody } from './openai-error';

/** Options of {@link encodeOpenAIChunks}. */
export const openAIChunkOptionsSchema = z
  .object({
    /** `model` of every chunk (e.g. the alias the client asked for). @default the model that produced the text */
    model: z.string().min(1).optional(),
    /** `id` of every chunk. @default `chatcmpl-<uuid>` */
    id: z.string().min(1).optional(),
    /** `created` of every chunk, Unix seconds. @default now */
    created: z.number().int().nonnegative().optional(),
    /** Send a last chunk with `usage` and no choices, as OpenAI does for `stream_options.include_usage`. @default false */
    includeUsage: z.boolean().default(false),
  })
  .strict();

/** What callers pass to {@link encodeOpenAIChunks}. */
export type OpenAIChunkOptions = z.input<typeof openAIChunkOptionsSchema>;

const FINISH_REASONS: Readonly<Record<FinishReason, string>> = {
  stop: 'stop',
  length: 'length',
  'content-filter': 'content_filter',
  'tool-calls': 'tool_calls',
  error: 'stop',
  other: 'stop',
  unknown: 'stop',
};

/** OpenAI's usage object for a cascade's total usage. */
function usageBody(usage: TokenUsage): Record<string, unknown> {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    ...(usage.cachedInputTokens !== undefined ? { prompt_tokens_details: { cached_tokens: usage.cachedInputTokens } } : {}),
  };
}

/**
 * Encodes a cascade stream as OpenAI `chat.completion.chunk` Server-Sent Events ending in
 * `data: [DONE]`, so any OpenAI client can consume it: a role chunk, one chunk per text delta (and per
 * tool-call start and argument delta, as `delta.tool_calls`), a chunk
 * with `finish_reason`, and (with `includeUsage`) a usage chunk with the cascade's total usage.
 * A failure becomes `data: {"error": {...}}` ({@link openAIErrorBody}, the same body a JSON error response
 * carries), which the `openai` SDK throws as an `APIError`.
 *
 * OpenAI clients cannot discard text: stream with `mode: 'buffered'` so they never receive a rejected draft.
 *
 * @example
 * const stream = streamCascade(agent, messages, { streamMode: 'buffered' });
 * for await (const line of encodeOpenAIChunks(stream, { model: 'cascade', includeUsage: true })) response.write(line);
 */
export async function* encodeOpenAIChunks(events: AsyncIterable<SseStreamEvent>, options: OpenAIChunkOptions = {}): AsyncGenerator<string, void> {
  const settings = parseConfig(openAIChunkOptionsSchema, options, 'encodeOpenAIChunks options');
  const id = settings.id ?? `chatcmpl-${globalThis.crypto.randomUUID()}`;
  const created = settings.created ?? Math.floor(Date.now() / 1000);
  let model = settings.model;
  let sentRole = false;
  const chunk = (delta: Record<string, unknown>, finishReason: string | null, modelId: string): string =>
    `data: ${JSON.stringify({
      id, object: 'chat.completion.chunk', created, model: model ?? modelId,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...(settings.includeUsage ? { usage: null } : {}),
    })}\n\n`;
  for await (const event of events) {
    switch (event.type) {
      case 'text-delta':
        // The role chunk waits for the first text, not the first attempt: in buffered mode that text
        // comes from the model whose answer was kept, so every chunk names it (not a rejected drafter).
        if (!sentRole) {
          sentRole = true;
          yield chunk({ role: 'assistant', content: '' }, null, event.modelId);
        }
        yield chunk({ content: event.text }, null, event.modelId);
        break;
      case 'tool-call-start':
        if (!sentRole) {
          sentRole = true;
          yield chunk({ role: 'assistant', content: null }, null, event.modelId);
        }
        yield chunk({ tool_calls: [{ index: event.index, id: event.id, type: 'function', function: { name: event.name, arguments: '' } }] }, null, event.modelId);
        break;
      case 'tool-call-delta':
        yield chunk({ tool_calls: [{ index: event.index, function: { arguments: event.argumentsDelta } }] }, null, event.modelId);
        break;
      case 'finish': {
        const result = event.result;
        model ??= result.modelId;
        if (!sentRole) yield chunk({ role: 'assistant', content: '' }, null, result.modelId);
        yield chunk({}, FINISH_REASONS[result.finishReason], result.modelId);
        if (settings.includeUsage) {
          yield `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: usageBody(result.usage) })}\n\n`;
        }
        yield 'data: [DONE]\n\n';
        return;
      }
      case 'error':
        yield `data: ${JSON.stringify(openAIErrorBody(event.error))}\n\n`;
        return;
      default:
        break;
    }
  }
}
