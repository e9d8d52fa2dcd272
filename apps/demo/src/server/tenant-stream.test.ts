import { CascadeError } from '@cascade/core';
import type { CascadeStream, CascadeStreamEvent } from '@cascade/stream';
import { describe, expect, it } from 'vitest';
import { openTenantStream } from './tenant-stream';

const OPERATOR = 'Limits could not be checked (Reached the max retries per request limit (which is 1)); the store fails closed.';

function fakeStream(events: CascadeStreamEvent[]): CascadeStream & { returned: boolean } {
  const state = { returned: false };
  return Object.assign(state, {
    [Symbol.asyncIterator]: () => {
      let index = 0;
      return {
        next: async () => (index < events.length ? { done: false as const, value: events[index++]! } : { done: true as const, value: undefined }),
        return: async () => {
          state.returned = true;
          return { done: true as const, value: undefined };
        },
      };
    },
    textStream: (async function* () {})(),
    result: Promise.resolve(undefined) as never,
    usage: Promise.resolve({ inputTokens: 0, outputTokens: 0 }) as never,
    cost: Promise.resolve(0),
    text: Promise.resolve(''),
    cancel: () => undefined,
    requireAcceptedText: () => undefined,
    toTextStreamResponse: () => Promise.reject(new Error('not used')),
    toUIMessageStreamResponse: () => Promise.reject(new Error('not used')),
  });
}

describe('openTenantStream', () => {
  it('a stream refused before its first event comes back as the error, for a JSON answer', async () => {
    const error = new CascadeError('RATE_LIMITED', OPERATOR, { details: { reason: 'store-unavailable' } });
    const source = fakeStream([{ type: 'error', error } as CascadeStreamEvent]);
    const opened = await openTenantStream(source, () => ({}));
    expect(opened).toEqual({ refused: error });
    expect(source.returned).toBe(true);
  });

  it('an error after the first event reaches the tenant as its code and tenant message only', async () => {
    const start = { type: 'attempt-start', modelId: 'm', provider: 'p', tier: 0, attempt: 0 } as CascadeStreamEvent;
    const failure = new CascadeError('ALL_MODELS_FAILED', 'All 2 model attempts failed: 401 from https://api.example.com with key sk-live-123456789.');
    const opened = await openTenantStream(fakeStream([start, { type: 'error', error: failure } as CascadeStreamEvent]), () => ({}));
    if (!('stream' in opened)) throw new Error('expected a stream');
    const events: CascadeStreamEvent[] = [];
    for await (const event of opened.stream) events.push(event);
    expect(events[0]).toBe(start);
    const last = events[1] as { type: 'error'; error: CascadeError };
    expect(last.error.code).toBe('ALL_MODELS_FAILED');
    expect(last.error.message).toBe('The upstream models could not answer; retry later.');
  });

  it('during shutdown, an aborted stream tells the client to retry', async () => {
    const start = { type: 'attempt-start', modelId: 'm', provider: 'p', tier: 0, attempt: 0 } as CascadeStreamEvent;
    const opened = await openTenantStream(fakeStream([start, { type: 'error', error: new CascadeError('ABORTED', 'The server is shutting down.') } as CascadeStreamEvent]), () => ({ shuttingDown: true }));
    if (!('stream' in opened)) throw new Error('expected a stream');
    const events: CascadeStreamEvent[] = [];
    for await (const event of opened.stream) events.push(event);
    expect((events[1] as { error: CascadeError }).error.message).toBe('The server is restarting; retry the request.');
  });
});
