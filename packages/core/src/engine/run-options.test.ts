import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CascadeError } from '../errors/cascade-error';
import { createOpenAIChatModel } from '../openai/openai-chat-model';
import { MockChatModel } from '../test/mock-chat-model';
import { sleep, withTimeout } from '../util/abort';
import { MAX_TIMEOUT_MS, safeTimeoutMs } from '../util/timeout-ms';
import { tierPricing as pricing } from './__fixtures__/tier-pricing';
import { createCascadeAgent } from './create-cascade-agent';
import { chatRequestParamsSchema, checkRequestParams } from './request-params';

function agentOf() {
  return createCascadeAgent({
    models: [new MockChatModel({ modelId: 'cheap', responses: [{ text: 'good answer' }] }), new MockChatModel({ modelId: 'strong', responses: [{ text: 'strong answer' }] })],
    pricing,
    validator: { name: 'pass', validate: () => ({ score: 1, passed: true, signals: [], reason: 'ok' }) },
    // About option checks, not the learner: a passing draft is accepted at once.
    learning: false,
  });
}

async function errorOf(promise: Promise<unknown>): Promise<CascadeError> {
  const error = await promise.then(() => undefined, (thrown: unknown) => thrown);
  if (!CascadeError.isInstance(error)) throw new Error(`expected a CascadeError, got ${String(error)}`);
  return error;
}

describe('run options are validated like configs', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['timeoutMs: NaN (was: no timeout)', { timeoutMs: Number.NaN }, 'timeoutMs'],
    ['timeoutMs over 2^31-1 ms (was: fired after 1 ms)', { timeoutMs: 2 ** 31 }, 'timeoutMs'],
    ['a negative timeoutMs', { timeoutMs: -5 }, 'timeoutMs'],
    ['policy.qualityTarget: 7 (was: skipped the cheap tier)', { policy: { qualityTarget: 7 } }, 'qualityTarget'],
    ['policy.attemptTimeoutMs over 2^31-1 ms', { policy: { attemptTimeoutMs: 2 ** 32 } }, 'attemptTimeoutMs'],
    ['an unknown policy field', { policy: { qualityTarge: 0.5 } }, 'qualityTarge'],
    ['an unknown option (typo)', { timeout: 5000 }, 'timeout'],
    ['a mode that does not exist', { mode: 'fast' }, 'mode'],
    ['a non-signal abortSignal', { abortSignal: 'stop' }, 'abortSignal'],
    ['an empty userId', { userId: '' }, 'userId'],
    ['a principal without userId', { principal: { tier: 'free' } }, 'principal'],
  ];
  for (const [name, options, field] of cases) {
    it(`rejects ${name} with INVALID_CONFIG naming ${field}`, async () => {
      const agent = agentOf();
      for (const call of [agent.run('hi', options as never), agent.begin('hi', options as never)]) {
        const error = await errorOf(call);
        expect(error.code).toBe('INVALID_CONFIG');
        expect(error.message).toContain(field);
      }
    });
  }

  it('rejects options that are not an object', async () => {
    const error = await errorOf(agentOf().run('hi', 'fast' as never));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toContain('run options');
  });

  it('accepts valid options, including the longest timer Node supports', async () => {
    const agent = agentOf();
    const result = await agent.run('hi', { timeoutMs: MAX_TIMEOUT_MS, userId: 'u1', requestId: 'r1', mode: 'run', policy: { qualityTarget: 0.5 }, abortSignal: new AbortController().signal });
    expect(result.requestId).toBe('r1');
    expect(result.text).toBe('good answer');
  });
});

describe('request parameters', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ["temperature: 'hot'", { temperature: 'hot' }, 'temperature'],
    ['temperature: 3', { temperature: 3 }, 'temperature'],
    ['topP: 1.5', { topP: 1.5 }, 'topP'],
    ['maxOutputTokens: 0', { maxOutputTokens: 0 }, 'maxOutputTokens'],
    ['maxOutputTokens: NaN', { maxOutputTokens: Number.NaN }, 'maxOutputTokens'],
    ['stop: a string', { stop: 'END' }, 'stop'],
    ['seed: 1.5', { seed: 1.5 }, 'seed'],
    ['topLogprobs: 50', { topLogprobs: 50 }, 'topLogprobs'],
    ['responseFormat: json', { responseFormat: 'json' }, 'responseFormat'],
    ['an unknown field (max_tokens)', { max_tokens: 5 }, 'max_tokens'],
  ];
  for (const [name, params, field] of cases) {
    it(`rejects ${name} with INVALID_INPUT naming ${field}`, async () => {
      const error = await errorOf(agentOf().run({ messages: [{ role: 'user', content: 'hi' }], ...params } as never));
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toContain(field);
    });
  }

  it('accepts every documented parameter', async () => {
    const result = await agentOf().run({
      messages: [{ role: 'user', content: 'hi', name: 'ann' }], maxOutputTokens: 10, temperature: 0.2, topP: 0.9, stop: ['END'], seed: 7,
      responseFormat: { type: 'text' }, logprobs: true, topLogprobs: 2, user: 'u1', providerOptions: { reasoning_effort: 'low' },
      tools: [{ type: 'function', function: { name: 'lookup', description: 'd', parameters: { type: 'object' }, strict: false } }], toolChoice: 'auto', parallelToolCalls: false,
    });
    expect(result.text).toBe('good answer');
  });

  it('rejects a message name that is not a string', async () => {
    const error = await errorOf(agentOf().run([{ role: 'user', content: 'hi', name: 42 }] as never));
    expect(error).toMatchObject({ code: 'INVALID_INPUT' });
    expect(error.message).toContain('name');
  });
});

describe('wrong-typed input', () => {
  for (const input of [null, undefined, 42, true, {}, { messages: 'hi' }, [null], [{ role: 'robot', content: 'x' }], '']) {
    it(`agent.run(${JSON.stringify(input) ?? 'undefined'}) rejects with INVALID_INPUT saying what to pass`, async () => {
      const error = await errorOf(agentOf().run(input as never));
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toMatch(/prompt|messages|role|content/);
    });
  }
});

describe('timeouts above 2^31-1 ms', () => {
  it('are refused in the agent config and the default policy', () => {
    const models = [new MockChatModel({ modelId: 'cheap' })];
    for (const config of [{ attemptTimeoutMs: 2 ** 31 }, { policy: { attemptTimeoutMs: 2 ** 31 } }]) {
      expect(() => createCascadeAgent({ models, pricing, ...config })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringContaining('attemptTimeoutMs') }));
    }
  });

  it('are refused by createOpenAIChatModel', () => {
    expect(() => createOpenAIChatModel({ modelId: 'gpt-4o-mini', apiKey: 'k', timeoutMs: 2 ** 31 })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringContaining('timeoutMs') }));
  });

  it('are clamped by the timer helpers instead of firing after 1 ms', async () => {
    expect(safeTimeoutMs(2 ** 40)).toBe(MAX_TIMEOUT_MS);
    expect(safeTimeoutMs(Number.NaN)).toBe(0);
    expect(safeTimeoutMs(-1)).toBe(0);
    const timed = withTimeout(undefined, 2 ** 31 + 10);
    const controller = new AbortController();
    let slept = false;
    void sleep(2 ** 33, controller.signal).then(() => (slept = true), () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(timed.signal?.aborted).toBe(false);
    expect(slept).toBe(false);
    timed.dispose();
    controller.abort();
  });
});

describe('request parameter fast path', () => {
  it('agrees with chatRequestParamsSchema on any value of the fast-checked fields', () => {
    const fields = ['maxOutputTokens', 'temperature', 'topP', 'seed', 'logprobs', 'topLogprobs', 'user'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...fields), fc.oneof(fc.double(), fc.integer(), fc.constantFrom(2 ** 60, -0, Number.NaN, Number.POSITIVE_INFINITY), fc.boolean(), fc.string(), fc.constant(undefined)), (field, value) => {
        const request = { messages: [{ role: 'user' as const, content: 'hi' }], [field]: value };
        const valid = chatRequestParamsSchema.safeParse(request).success;
        let accepted = true;
        try {
          checkRequestParams(request as never);
        } catch {
          accepted = false;
        }
        expect(accepted).toBe(valid);
      }),
      { numRuns: 1000 },
    );
  });
});
