import { CascadeError, type CascadeErrorCode, HTTP_STATUS_BY_CODE } from '@cascade/core';
import { describe, expect, it } from 'vitest';
import type { CascadeStream } from '../cascade/cascade-stream';
import type { CascadeStreamEvent } from '../events/stream-event';
import { toSseResponse } from '../http/to-sse-response';
import { encodeOpenAIChunks } from './encode-openai-chunks';
import { INTERNAL_ERROR_MESSAGE, OPENAI_ERROR_TYPE_BY_CODE, openAIErrorBody, openAIErrorResponse } from './openai-error';

const start: CascadeStreamEvent = { type: 'attempt-start', modelId: 'cheap', provider: 'mock', tier: 0, attempt: 1 };
const delta: CascadeStreamEvent = { type: 'text-delta', text: 'Hel', modelId: 'cheap', tier: 0 };

async function* eventsOf(events: CascadeStreamEvent[]): AsyncGenerator<CascadeStreamEvent> {
  yield* events;
}
const fakeStream = (events: CascadeStreamEvent[]): CascadeStream => ({ [Symbol.asyncIterator]: () => eventsOf(events), cancel: () => undefined }) as unknown as CascadeStream;

/** The body of the error chunk an OpenAI stream ends with after it started. */
async function midStreamBody(error: CascadeError): Promise<unknown> {
  const lines: string[] = [];
  for await (const line of encodeOpenAIChunks(eventsOf([start, delta, { type: 'error', error }]))) lines.push(line);
  expect(lines.at(-1)!.startsWith('data: {"error":')).toBe(true);
  return JSON.parse(lines.at(-1)!.slice('data: '.length));
}

const errors = [
  new CascadeError('RATE_LIMITED', 'Rate limit: 10 requests per hour.', { retryAfterMs: 1500 }),
  new CascadeError('BUDGET_EXCEEDED', 'Daily budget of $1 reached.'),
  new CascadeError('GUARDRAIL_BLOCKED', 'The prompt looks like an injection.'),
  new CascadeError('FEATURE_NOT_ALLOWED', 'Streaming is not in your tier.'),
  new CascadeError('ALL_MODELS_FAILED', 'All 2 model attempts failed.'),
  new CascadeError('STORE_FAILED', 'redis://secret@10.0.0.1 unreachable'),
  new CascadeError('TIMEOUT', 'The request took longer than 120000 ms.'),
  new CascadeError('ABORTED', 'The server is shutting down.'),
];

describe('OpenAI error body: one mapping for JSON answers and stream error chunks', () => {
  it.each(errors)('$code yields the same body before the stream (JSON) and mid-stream (error chunk)', async (error) => {
    const expected = openAIErrorBody(error);
    expect(await midStreamBody(error)).toEqual(expected);
    const response = await toSseResponse(fakeStream([{ type: 'error', error }]), { format: 'openai' });
    expect(response.status).toBe(HTTP_STATUS_BY_CODE[error.code]);
    expect(await response.json()).toEqual(expected);
    expect(openAIErrorResponse(error).body).toEqual(expected);
    expect(expected.error).toMatchObject({ type: OPENAI_ERROR_TYPE_BY_CODE[error.code], code: error.code, param: null });
  });

  it('maps types the OpenAI way and hides internal messages', () => {
    const type = (code: CascadeErrorCode): string => openAIErrorBody(new CascadeError(code, 'x')).error.type;
    expect(type('RATE_LIMITED')).toBe('rate_limit_error');
    expect(type('INVALID_INPUT')).toBe('invalid_request_error');
    expect(type('MODEL_NOT_ALLOWED')).toBe('permission_error');
    expect(type('ALL_MODELS_FAILED')).toBe('server_error');
    expect(openAIErrorBody(errors[5]!).error.message).toBe(INTERNAL_ERROR_MESSAGE);
    expect(openAIErrorBody(errors[0]!).error.retry_after_ms).toBe(1500);
    expect(openAIErrorResponse(errors[0]!).headers).toEqual({ 'retry-after': '2' });
    expect(openAIErrorResponse(new CascadeError('RATE_LIMITED', 'x', { retryAfterMs: 10 })).headers).toEqual({ 'retry-after': '1' });
  });

  it('format events: the JSON answer carries the same error as the typed error event', async () => {
    const error = errors[0]!;
    const response = await toSseResponse(fakeStream([{ type: 'error', error }]), { view: 'trusted' });
    expect(response.headers.get('retry-after')).toBe('2');
    expect(await response.json()).toEqual({ error: JSON.parse(JSON.stringify(error)) as unknown });
  });
});
