import { APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { describe, expect, it } from 'vitest';
import { CascadeError } from '../errors/cascade-error';
import { isRetryableStatus, mapOpenAIError, retryAfterMsFrom } from './map-openai-error';
import { mapFinishReason } from './map-openai-response';

const context = { provider: 'openai', modelId: 'gpt-4o-mini' };

describe('retryAfterMsFrom', () => {
  it('reads retry-after-ms first, then Retry-After seconds or an HTTP date', () => {
    expect(retryAfterMsFrom(new Headers({ 'retry-after-ms': '250.4', 'retry-after': '9' }))).toBe(250);
    expect(retryAfterMsFrom(new Headers({ 'retry-after': '1.5' }))).toBe(1500);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMsFrom(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }), now)).toBe(30_000);
    expect(retryAfterMsFrom(new Headers({ 'retry-after': 'Tue, 31 Dec 2024 00:00:00 GMT' }), now)).toBe(0);
    expect(retryAfterMsFrom(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMsFrom(new Headers())).toBeUndefined();
    expect(retryAfterMsFrom(undefined)).toBeUndefined();
  });
});

describe('isRetryableStatus', () => {
  it('is true exactly for 408, 409, 429 and 5xx', () => {
    expect([400, 401, 403, 404, 408, 409, 422, 429, 500, 502, 503, 504].filter(isRetryableStatus)).toEqual([408, 409, 429, 500, 502, 503, 504]);
  });
});

describe('mapOpenAIError', () => {
  it('maps an HTTP error with its facts and keeps the cause', () => {
    const sdkError = APIError.generate(503, { error: { message: 'overloaded' } }, undefined, new Headers({ 'retry-after': '4' }));
    const error = mapOpenAIError(sdkError, context);
    expect(error).toMatchObject({ code: 'MODEL_CALL_FAILED', statusCode: 503, retryable: true, retryAfterMs: 4000, cause: sdkError });
    expect(error.message).toContain('openai model gpt-4o-mini failed with HTTP 503');
  });

  it('maps the SDK timeout to TIMEOUT and a user abort to ABORTED', () => {
    expect(mapOpenAIError(new APIConnectionTimeoutError(), context)).toMatchObject({ code: 'TIMEOUT', retryable: true });
    expect(mapOpenAIError(new APIUserAbortError(), context)).toMatchObject({ code: 'ABORTED', retryable: false });
  });

  it("lets the caller's signal decide between ABORTED and TIMEOUT", () => {
    const timedOut = new AbortController();
    timedOut.abort(new DOMException('late', 'TimeoutError'));
    expect(mapOpenAIError(new APIUserAbortError(), { ...context, abortSignal: timedOut.signal }).code).toBe('TIMEOUT');
    const aborted = new AbortController();
    aborted.abort();
    expect(mapOpenAIError(new TypeError('terminated'), { ...context, abortSignal: aborted.signal }).code).toBe('ABORTED');
  });

  it('maps a reset connection to a retryable error and passes CascadeErrors through', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(mapOpenAIError(reset, context)).toMatchObject({ code: 'MODEL_CALL_FAILED', retryable: true });
    const typed = new CascadeError('BUDGET_EXCEEDED', 'over');
    expect(mapOpenAIError(typed, context)).toBe(typed);
  });

  it('maps an error event inside a stream and anything else to a non-retryable MODEL_CALL_FAILED', () => {
    expect(mapOpenAIError(new APIError(undefined, { message: 'bad things' }, undefined, undefined), context)).toMatchObject({ code: 'MODEL_CALL_FAILED', retryable: false });
    expect(mapOpenAIError('weird', context)).toMatchObject({ code: 'MODEL_CALL_FAILED', retryable: false });
  });
});

describe('mapFinishReason', () => {
  it('maps OpenAI spellings to the neutral ones', () => {
    expect(['stop', 'length', 'content_filter', 'tool_calls', 'function_call', 'eos', null, undefined].map(mapFinishReason)).toEqual([
      'stop',
      'length',
      'content-filter',
      'tool-calls',
      'tool-calls',
      'other',
      'unknown',
      'unknown',
    ]);
  });
});
