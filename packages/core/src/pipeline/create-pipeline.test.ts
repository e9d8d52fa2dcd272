import { describe, expect, it } from 'vitest';
import { collect, fromArray } from '../test/stream-helpers';
import { createPipeline } from './create-pipeline';
import type { CascadeMiddleware, GuardedStreamPart, SettleInfo } from './middleware';

const request = { messages: [{ role: 'user' as const, content: 'hi' }] };
const estimate = () => ({ inputTokens: 1, maxOutputTokens: 1, costUsd: 0.001 });

/** Replaces "secret" in each delta; emits a guardrail event when it did. Deliberately per-delta. */
const redactor = (word: string, name: string): CascadeMiddleware => ({
  name,
  async *guardStream(_context, deltas) {
    for await (const text of deltas) {
      if (text.includes(word)) {
        yield { type: 'guardrail', action: 'redacted', findings: [{ guard: name, type: word, action: 'redact' }] };
        yield { type: 'text', text: text.replaceAll(word, '[X]') };
      } else yield { type: 'text', text };
    }
  },
});

describe('createPipeline', () => {
  it('chains stream guards in order and keeps upstream guardrail events in place', async () => {
    const pipeline = createPipeline([redactor('alpha', 'first'), redactor('beta', 'second')]);
    const admitted = await pipeline.begin({ requestId: 'r', mode: 'stream', request, estimate });
    const parts = await collect(admitted.guardStream(fromArray(['one ', 'alpha ', 'beta ', 'two'])));
    const text = parts.filter((p): p is Extract<GuardedStreamPart, { type: 'text' }> => p.type === 'text').map((p) => p.text).join('');
    expect(text).toBe('one [X] [X] two');
    expect(parts.filter((p) => p.type === 'guardrail').map((p) => (p as unknown as { findings: readonly { guard: string }[] }).findings[0]!.guard)).toEqual(['first', 'second']);
  });

  it('runs resolvers before admission so limits see the principal, and settles once', async () => {
    const settled: SettleInfo[] = [];
    const seen: (string | undefined)[] = [];
    const pipeline = createPipeline([
      { name: 'profiles', resolve: (context) => ({ principal: { userId: `resolved-${context.userId}`, tier: 'pro' }, policy: { qualityTarget: 0.9 } }) },
      {
        name: 'limits',
        admit: (context) => {
          seen.push(context.principal?.userId, String(context.policy.qualityTarget), String(context.estimate.costUsd));
          return { allowed: true, reservation: { settle: (info) => void settled.push(info) } };
        },
      },
    ]);
    const admitted = await pipeline.begin({ requestId: 'r', mode: 'run', userId: 'u1', request, estimate });
    expect(seen).toEqual(['resolved-u1', '0.9', '0.001']);
    const info: SettleInfo = { usage: { inputTokens: 1, outputTokens: 1, source: 'provider' }, costUsd: 0.0001, outcome: 'success' };
    await admitted.settle(info);
    await admitted.settle(info);
    expect(settled).toHaveLength(1);
  });

  it('turns a throwing hook into a typed error naming the middleware and releases reservations', async () => {
    const settled: SettleInfo[] = [];
    const pipeline = createPipeline([
      { name: 'limits', admit: () => ({ allowed: true, reservation: { settle: (info) => void settled.push(info) } }) },
      { name: 'broken-guard', guardInput: () => { throw new Error('boom'); } },
    ]);
    await expect(pipeline.begin({ requestId: 'r', mode: 'run', request, estimate })).rejects.toThrow(/Middleware "broken-guard" failed in guardInput: boom/);
    expect(settled).toEqual([expect.objectContaining({ costUsd: 0, outcome: 'error' })]);
  });

  it('reports a failing settle as STORE_FAILED after settling the others', async () => {
    const settled: string[] = [];
    const pipeline = createPipeline([
      { name: 'a', admit: () => ({ allowed: true, reservation: { settle: () => void settled.push('a') } }) },
      { name: 'b', admit: () => ({ allowed: true, reservation: { settle: () => { throw new Error('redis down'); } } }) },
    ]);
    const admitted = await pipeline.begin({ requestId: 'r', mode: 'run', request, estimate });
    await expect(admitted.settle({ usage: { inputTokens: 0, outputTokens: 0, source: 'provider' }, costUsd: 0, outcome: 'success' })).rejects.toMatchObject({ code: 'STORE_FAILED' });
    expect(settled).toEqual(['a']);
  });

  it('stops before admission when the signal has already fired', async () => {
    const admitted: string[] = [];
    const pipeline = createPipeline([{ name: 'limits', admit: () => { admitted.push('x'); return { allowed: true }; } }]);
    const controller = new AbortController();
    controller.abort();
    await expect(pipeline.begin({ requestId: 'r', mode: 'run', request, estimate, abortSignal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
    expect(admitted).toEqual([]);
  });
});
