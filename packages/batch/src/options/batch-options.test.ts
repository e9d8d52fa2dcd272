import { CascadeError } from '@cascade/core';
import { describe, expect, it } from 'vitest';
import { cheapModel, oneTierAgent, prompts } from '../__fixtures__/test-agent';
import type { BatchItem } from '../items/batch-item';
import { runBatch } from '../run/run-batch';
import { streamBatch } from '../run/stream-batch';

async function errorOf(promise: Promise<unknown>): Promise<CascadeError> {
  const error = await promise.then(() => undefined, (thrown: unknown) => thrown);
  if (!CascadeError.isInstance(error)) throw new Error(`expected a CascadeError, got ${String(error)}`);
  return error;
}

describe('runBatch: wrong-typed arguments', () => {
  for (const agent of [null, undefined, 42, {}, 'agent']) {
    it(`runBatch(${JSON.stringify(agent) ?? 'undefined'}, items) says to pass an agent`, async () => {
      const error = await errorOf(runBatch(agent as never, ['hi']));
      expect(error.code).toBe('INVALID_CONFIG');
      expect(error.message).toContain('createCascadeAgent');
    });
  }
  for (const items of ['x', null, undefined, 42, { input: 'hi' }]) {
    it(`runBatch(agent, ${JSON.stringify(items) ?? 'undefined'}) says what items to pass`, async () => {
      const error = await errorOf(runBatch(oneTierAgent(cheapModel(0)), items as never));
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toContain('array');
    });
  }
  it('runBatch(agent, items, "fast") refuses options that are not an object', async () => {
    const error = await errorOf(runBatch(oneTierAgent(cheapModel(0)), ['hi'], 'fast' as never));
    expect(error.code).toBe('INVALID_CONFIG');
  });
});

describe('batch options', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['itemTimeoutMs over 2^31-1 ms (was: fired after 1 ms)', { itemTimeoutMs: 2 ** 31 }, 'itemTimeoutMs'],
    ['totalTimeoutMs over 2^31-1 ms (was: fired after 1 ms)', { totalTimeoutMs: 2 ** 31 }, 'totalTimeoutMs'],
    ['cancelGraceMs over 2^31-1 ms', { cancelGraceMs: 2 ** 31 }, 'cancelGraceMs'],
    ['maxRateLimitWaitMs over 2^31-1 ms', { maxRateLimitWaitMs: 2 ** 31 }, 'maxRateLimitWaitMs'],
    ['backoff.maxDelayMs over 2^31-1 ms', { backoff: { maxDelayMs: 2 ** 31 } }, 'maxDelayMs'],
    ['itemTimeoutMs: NaN', { itemTimeoutMs: Number.NaN }, 'itemTimeoutMs'],
    ['an unknown option', { itemTimeout: 5 }, 'itemTimeout'],
    ['an unknown backoff field', { backoff: { jitter: true } }, 'jitter'],
  ];
  for (const [name, options, field] of cases) {
    it(`rejects ${name} with INVALID_CONFIG naming ${field}`, async () => {
      const error = await errorOf(runBatch(oneTierAgent(cheapModel(0)), ['hi'], options));
      expect(error.code).toBe('INVALID_CONFIG');
      expect(error.message).toContain(field);
      expect(() => streamBatch(oneTierAgent(cheapModel(0)), ['hi'], options)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    });
  }

  it('runs with the longest timeouts Node supports (they do not fire at once)', async () => {
    const report = await runBatch(oneTierAgent(cheapModel(5)), prompts(3), { itemTimeoutMs: 2 ** 31 - 1, totalTimeoutMs: 2 ** 31 - 1 });
    expect(report.summary).toMatchObject({ ok: 3, failed: 0 });
  });
});

describe('batch items', () => {
  const cases: [string, BatchItem, string][] = [
    ['timeoutMs over 2^31-1 ms', { input: 'hi', timeoutMs: 2 ** 31 }, 'timeoutMs'],
    ['timeoutMs: NaN', { input: 'hi', timeoutMs: Number.NaN }, 'timeoutMs'],
    ['policy.qualityTarget: 7', { input: 'hi', policy: { qualityTarget: 7 } }, 'qualityTarget'],
    ['an unknown field', { input: 'hi', timeout: 5 } as never, 'timeout'],
    ['an empty id', { id: '', input: 'hi' }, 'id'],
    ['temperature: "hot"', { messages: [{ role: 'user', content: 'hi' }], temperature: 'hot' } as never, 'temperature'],
    ['a wrong-typed input', { input: 42 } as never, 'prompt'],
  ];
  for (const [name, item, field] of cases) {
    it(`records an item with ${name} as failed with INVALID_INPUT naming ${field}`, async () => {
      const report = await runBatch(oneTierAgent(cheapModel(0)), [item, 'fine']);
      expect(report.results[0]).toMatchObject({ status: 'failed', error: { code: 'INVALID_INPUT' } });
      expect(report.results[0]!.error!.message).toContain(field);
      expect(report.results[1]).toMatchObject({ status: 'ok' });
    });
  }
});
