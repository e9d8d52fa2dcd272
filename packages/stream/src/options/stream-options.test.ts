import { CascadeError, createCascadeAgent } from '@cascade/core';
import { MockChatModel } from '@cascade/core/test';
import { describe, expect, it } from 'vitest';
import { pricing, validator } from '../__fixtures__/agent-fixtures';
import { streamCascade } from '../cascade/stream-cascade';
import { toSseResponse } from '../http/to-sse-response';

function agentOf() {
  const cheap = new MockChatModel({ modelId: 'cheap', responses: [{ text: 'The answer is 391.' }] });
  const strong = new MockChatModel({ modelId: 'strong', responses: [{ text: 'Strong: 391.' }] });
  return createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false });
}

function thrown(run: () => unknown): CascadeError {
  try {
    run();
  } catch (error) {
    if (CascadeError.isInstance(error)) return error;
    throw new Error(`expected a CascadeError, got ${String(error)}`);
  }
  throw new Error('expected a throw');
}

describe('streamCascade: wrong-typed arguments fail at the call with a typed error', () => {
  for (const agent of [null, undefined, 42, {}, 'agent']) {
    it(`streamCascade(${JSON.stringify(agent) ?? 'undefined'}, 'hi') says to pass an agent`, () => {
      const error = thrown(() => streamCascade(agent as never, 'hi'));
      expect(error.code).toBe('INVALID_CONFIG');
      expect(error.message).toContain('createCascadeAgent');
    });
  }

  for (const input of [null, undefined, 42, {}, '', [{ role: 'robot', content: 'x' }]]) {
    it(`streamCascade(agent, ${JSON.stringify(input) ?? 'undefined'}) says what input to pass`, () => {
      const error = thrown(() => streamCascade(agentOf(), input as never));
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toMatch(/prompt|messages|role/);
    });
  }

  it('names a bad request parameter', () => {
    const error = thrown(() => streamCascade(agentOf(), { messages: [{ role: 'user', content: 'hi' }], temperature: 'hot' } as never));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('temperature');
  });
});

describe('streamCascade options', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['timeoutMs over 2^31-1 ms (was: fired after 1 ms)', { timeoutMs: 2 ** 31 }, 'timeoutMs'],
    ['timeoutMs: NaN', { timeoutMs: Number.NaN }, 'timeoutMs'],
    ['policy.qualityTarget: 7', { policy: { qualityTarget: 7 } }, 'qualityTarget'],
    ['policy.attemptTimeoutMs over 2^31-1 ms', { policy: { attemptTimeoutMs: 2 ** 31 } }, 'attemptTimeoutMs'],
    ['an unknown option', { timeout: 10 }, 'timeout'],
  ];
  for (const [name, options, field] of cases) {
    it(`rejects ${name} with INVALID_CONFIG naming ${field}`, () => {
      const error = thrown(() => streamCascade(agentOf(), 'hi', options as never));
      expect(error.code).toBe('INVALID_CONFIG');
      expect(error.message).toContain(field);
    });
  }

  it('streams with the longest timeout Node supports (it does not fire at once)', async () => {
    const result = await streamCascade(agentOf(), 'What is 17 * 23?', { timeoutMs: 2 ** 31 - 1 }).result;
    expect(result.text).toBe('The answer is 391.');
  });

  it('refuses SSE heartbeat and retry delays over 2^31-1 ms', async () => {
    const stream = streamCascade(agentOf(), 'hi');
    for (const options of [{ heartbeatMs: 2 ** 31 }, { format: 'events' as const, retryMs: 2 ** 31 }]) {
      await expect(toSseResponse(stream, options)).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/heartbeatMs|retryMs/) });
    }
    stream.cancel();
  });
});
