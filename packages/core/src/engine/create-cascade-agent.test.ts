import { describe, expect, it, vi } from 'vitest';
import { CascadeError } from '../errors/cascade-error';
import type { CascadeMiddleware, SettleInfo } from '../pipeline/middleware';
import type { QualityValidator } from '../quality/quality-validator';
import { tierPricing as pricing } from './__fixtures__/tier-pricing';
import { MockChatModel, mockProviderError } from '../test/mock-chat-model';
import { createCascadeAgent } from './create-cascade-agent';


/** Passes drafts that do not contain "BAD". */
const validator: QualityValidator = {
  name: 'test',
  validate: ({ draft, threshold }) => {
    const score = draft.text.includes('BAD') ? 0.1 : 0.9;
    return { score, passed: score >= threshold, signals: [], reason: score >= threshold ? 'looks fine' : 'contains BAD' };
  },
};

const usage = { inputTokens: 100, outputTokens: 50 };

function models(cheapText = 'good answer', strongText = 'strong answer') {
  return {
    cheap: new MockChatModel({ modelId: 'cheap', responses: [{ text: cheapText, usage }] }),
    strong: new MockChatModel({ modelId: 'strong', responses: [{ text: strongText, usage }] }),
  };
}

function recordingLimiter(): CascadeMiddleware & { settled: SettleInfo[]; admitted: number } {
  const middleware = {
    name: 'recording-limiter',
    settled: [] as SettleInfo[],
    admitted: 0,
    admit: () => {
      middleware.admitted++;
      return { allowed: true as const, reservation: { settle: (info: SettleInfo) => void middleware.settled.push(info) } };
    },
  };
  return middleware;
}

describe('createCascadeAgent', () => {
  it('accepts a good draft from the cheapest tier and reports savings', async () => {
    const { cheap, strong } = models();
    const agent = createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false });
    const result = await agent.run('What is 2 + 2?');
    expect(result.text).toBe('good answer');
    expect(result.modelId).toBe('cheap');
    expect(strong.calls).toHaveLength(0);
    expect(result.attempts.map((a) => a.status)).toEqual(['accepted']);
    expect(result.costUsd).toBeCloseTo(150 / 1e6);
    expect(result.baselineCostUsd).toBeCloseTo((150 * 30) / 1e6);
    expect(result.savings).toBeCloseTo(1 - 1 / 30);
    expect(result.escalated).toBe(false);
  });

  it('escalates a failing draft and pays for both calls', async () => {
    const { cheap, strong } = models('BAD answer');
    const agent = createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false });
    const result = await agent.run('hard question');
    expect(result.text).toBe('strong answer');
    expect(result.attempts.map((a) => a.status)).toEqual(['escalated', 'final']);
    expect(result.attempts[0]!.quality?.reason).toBe('contains BAD');
    expect(result.costUsd).toBeCloseTo((150 + 150 * 30) / 1e6);
    expect(result.savings).toBeLessThan(0);
    expect(result.escalated).toBe(true);
  });

  it('walks N tiers until one passes', async () => {
    const cheap = new MockChatModel({ modelId: 'cheap', responses: [{ text: 'BAD', usage }] });
    const mid = new MockChatModel({ modelId: 'mid', responses: [{ text: 'fine', usage }] });
    const strong = new MockChatModel({ modelId: 'strong', responses: [{ text: 'x', usage }] });
    const result = await createCascadeAgent({ models: [cheap, mid, strong], validator, pricing, learning: false }).run('q');
    expect(result.modelId).toBe('mid');
    expect(result.tier).toBe(1);
    expect(strong.calls).toHaveLength(0);
  });

  it('falls through to the next tier when a provider errors', async () => {
    const cheap = new MockChatModel({ modelId: 'cheap', responses: [{ error: mockProviderError(503) }] });
    const strong = new MockChatModel({ modelId: 'strong', responses: [{ text: 'ok', usage }] });
    const result = await createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false }).run('q');
    expect(result.modelId).toBe('strong');
    expect(result.attempts[0]!.status).toBe('failed');
    expect(result.attempts[0]!.error?.statusCode).toBe(503);
  });

  it('times out a slow tier, cancels its call, and falls through', async () => {
    vi.useFakeTimers();
    try {
      const cheap = new MockChatModel({ modelId: 'cheap', responses: [{ text: 'late', latencyMs: 10_000, usage }] });
      const strong = new MockChatModel({ modelId: 'strong', responses: [{ text: 'on time', usage }] });
      const agent = createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false, attemptTimeoutMs: 1_000 });
      const pending = agent.run('q');
      await vi.advanceTimersByTimeAsync(1_001);
      const result = await pending;
      expect(result.text).toBe('on time');
      expect(result.attempts[0]!.error?.code).toBe('TIMEOUT');
      expect(cheap.calls[0]!.aborted).toBe(true);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('stops everything on abort: the call in flight is cancelled and no later tier runs', async () => {
    const cheap = new MockChatModel({ modelId: 'cheap', responses: [{ text: 'slow', latencyMs: 5_000, usage }] });
    const strong = new MockChatModel({ modelId: 'strong', responses: [{ text: 'x', usage }] });
    const limiter = recordingLimiter();
    const controller = new AbortController();
    const agent = createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false, middleware: [limiter] });
    const pending = agent.run('q', { abortSignal: controller.signal });
    setTimeout(() => controller.abort(), 5);
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
    expect(cheap.calls[0]!.aborted).toBe(true);
    expect(strong.calls).toHaveLength(0);
    expect(limiter.settled).toEqual([expect.objectContaining({ outcome: 'aborted' })]);
  });

  it('reports ALL_MODELS_FAILED with every cause, retryable from the facts', async () => {
    const cheap = new MockChatModel({ modelId: 'cheap', responses: [{ error: mockProviderError(429) }] });
    const strong = new MockChatModel({ modelId: 'strong', responses: [{ error: mockProviderError(500) }] });
    const error = await createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false, policy: { retry: { maxAttempts: 1 } } }).run('q').catch((e: unknown) => e);
    expect(CascadeError.isInstance(error) && error.code).toBe('ALL_MODELS_FAILED');
    expect((error as CascadeError).retryable).toBe(true);
    expect((error as CascadeError).message).toContain('cheap (MODEL_CALL_FAILED 429)');
    expect((error as CascadeError).details?.attempts).toEqual([expect.objectContaining({ modelId: 'cheap', code: 'MODEL_CALL_FAILED', statusCode: 429 }), expect.objectContaining({ modelId: 'strong', statusCode: 500 })]);
  });

  it('returns a rejected draft with a warning when every stronger tier fails', async () => {
    const cheap = new MockChatModel({ modelId: 'cheap', responses: [{ text: 'BAD but something', usage }] });
    const strong = new MockChatModel({ modelId: 'strong', responses: [{ error: mockProviderError(500) }] });
    const result = await createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false, policy: { retry: { maxAttempts: 1 } } }).run('q');
    expect(result.text).toBe('BAD but something');
    expect(result.attempts.map((a) => a.status)).toEqual(['fallback', 'failed']);
    expect(result.warnings[0]).toMatch(/Every stronger tier failed/);
  });

  it('never calls a model the policy does not allow', async () => {
    const { cheap, strong } = models('BAD');
    const agent = createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false });
    const result = await agent.run('q', { policy: { allowedModels: ['cheap'] } });
    expect(strong.calls).toHaveLength(0);
    expect(result.modelId).toBe('cheap');
    expect(result.routing.skippedModels).toEqual(['strong']);
    await expect(agent.run('q', { policy: { blockedModels: ['cheap', 'strong'] } })).rejects.toMatchObject({ code: 'MODEL_NOT_ALLOWED' });
    expect(cheap.calls).toHaveLength(1);
  });

  it('a resolver cannot re-open a model the agent policy closed', async () => {
    const { cheap, strong } = models('BAD');
    const resolver: CascadeMiddleware = { name: 'resolver', resolve: () => ({ policy: { allowedModels: ['cheap', 'strong'] } }) };
    const agent = createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false, middleware: [resolver], policy: { blockedModels: ['strong'] } });
    await agent.run('q');
    expect(strong.calls).toHaveLength(0);
  });

  it('enforces the per-request cost cap before any call', async () => {
    const { cheap, strong } = models('BAD');
    const agent = createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false });
    // cheap: ~(tokens + 100) * 1e-6; strong 30x that: a cap between them keeps only cheap.
    const result = await agent.run({ messages: [{ role: 'user', content: 'q' }], maxOutputTokens: 100 }, { policy: { maxCostPerRequestUsd: 0.001 } });
    expect(result.modelId).toBe('cheap');
    expect(strong.calls).toHaveLength(0);
    await expect(agent.run({ messages: [{ role: 'user', content: 'q' }], maxOutputTokens: 100 }, { policy: { maxCostPerRequestUsd: 0.00001 } })).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED' });
  });

  it('sends queries the validator judges too hard straight to a stronger tier', async () => {
    const { cheap, strong } = models();
    const routing: QualityValidator = { ...validator, assessComplexity: () => ({ score: 0.95, startTier: 1, signals: [{ name: 'proof', impact: -1 }] }) };
    const result = await createCascadeAgent({ models: [cheap, strong], validator: routing, pricing, learning: false }).run('Prove the Riemann hypothesis.');
    expect(cheap.calls).toHaveLength(0);
    expect(result.modelId).toBe('strong');
    expect(result.routing.startTier).toBe(1);
    expect(result.routing.complexity?.score).toBe(0.95);
  });

  it('accepts the first draft when the policy turns quality validation off', async () => {
    const { cheap, strong } = models('BAD');
    const result = await createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false }).run('q', { policy: { features: { qualityValidation: false } } });
    expect(result.modelId).toBe('cheap');
  });

  it('a higher quality target escalates more', async () => {
    const { cheap, strong } = models('good');
    const agent = createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false });
    expect((await agent.run('q', { policy: { qualityTarget: 0.5 } })).modelId).toBe('cheap');
    expect((await agent.run('q', { policy: { qualityTarget: 0.95 } })).modelId).toBe('strong');
  });

  describe('reservations are settled exactly once on every path', () => {
    it('success', async () => {
      const limiter = recordingLimiter();
      const { cheap, strong } = models('BAD');
      await createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false, middleware: [limiter] }).run('q');
      expect(limiter.settled).toHaveLength(1);
      expect(limiter.settled[0]).toMatchObject({ outcome: 'success', usage: { inputTokens: 200, outputTokens: 100 } });
      expect(limiter.settled[0]!.costUsd).toBeCloseTo((150 + 4500) / 1e6);
    });

    it('error: paid usage is still committed', async () => {
      const limiter = recordingLimiter();
      const cheap = new MockChatModel({ modelId: 'cheap', responses: [{ error: mockProviderError(500) }] });
      const strong = new MockChatModel({ modelId: 'strong', responses: [{ error: mockProviderError(500) }] });
      await expect(createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false, middleware: [limiter] }).run('q')).rejects.toThrow();
      expect(limiter.settled).toEqual([expect.objectContaining({ outcome: 'error', costUsd: 0 })]);
    });

    it('input guard block', async () => {
      const limiter = recordingLimiter();
      const guard: CascadeMiddleware = { name: 'guard', guardInput: () => ({ action: 'block', reason: 'injection', findings: [{ guard: 'injection', type: 'override', action: 'block' }] }) };
      const { cheap, strong } = models();
      const error = await createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false, middleware: [limiter, guard] }).run('q').catch((e: unknown) => e);
      expect((error as CascadeError).code).toBe('GUARDRAIL_BLOCKED');
      expect(cheap.calls).toHaveLength(0);
      expect(limiter.settled).toHaveLength(1);
    });

    it('output guard block', async () => {
      const limiter = recordingLimiter();
      const guard: CascadeMiddleware = { name: 'guard', guardOutput: () => ({ action: 'block', reason: 'unsafe', findings: [] }) };
      const { cheap, strong } = models();
      await expect(createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false, middleware: [limiter, guard] }).run('q')).rejects.toMatchObject({ code: 'GUARDRAIL_BLOCKED' });
      expect(limiter.settled).toEqual([expect.objectContaining({ outcome: 'error' })]);
      expect(limiter.settled[0]!.costUsd).toBeGreaterThan(0);
    });

    it('a later admitter denies: the earlier reservation is released', async () => {
      const limiter = recordingLimiter();
      const denier: CascadeMiddleware = { name: 'budget', admit: () => ({ allowed: false, code: 'BUDGET_EXCEEDED', reason: 'Daily budget spent.', retryAfterMs: 1000 }) };
      const { cheap, strong } = models();
      const error = await createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false, middleware: [limiter, denier] }).run('q').catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'BUDGET_EXCEEDED', retryAfterMs: 1000 });
      expect(limiter.settled).toEqual([expect.objectContaining({ costUsd: 0, outcome: 'error' })]);
      expect(cheap.calls).toHaveLength(0);
    });
  });

  it('redacts input before the model sees it and reports the findings', async () => {
    const guard: CascadeMiddleware = {
      name: 'pii',
      guardInput: (_context, request) => ({
        action: 'modify',
        value: { ...request, messages: [{ role: 'user', content: 'mail [EMAIL_ADDRESS]' }] },
        findings: [{ guard: 'pii', type: 'EMAIL_ADDRESS', action: 'redact', start: 5, end: 18 }],
      }),
    };
    const { cheap, strong } = models();
    const result = await createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false, middleware: [guard] }).run('mail bob@example.com');
    expect(cheap.requests[0]!.messages[0]!.content).toBe('mail [EMAIL_ADDRESS]');
    expect(result.guardrails).toEqual([expect.objectContaining({ type: 'EMAIL_ADDRESS' })]);
  });

  it('resolves the principal through middleware and returns it', async () => {
    const resolver: CascadeMiddleware = { name: 'profiles', resolve: (context) => ({ principal: { userId: context.userId ?? 'anon', tier: 'pro' } }) };
    const { cheap, strong } = models();
    const result = await createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false, middleware: [resolver] }).run('q', { userId: 'u1' });
    expect(result.principal).toEqual({ userId: 'u1', tier: 'pro' });
  });

  it('rejects bad config and bad input with messages that say what to fix', async () => {
    expect(() => createCascadeAgent({ models: [] })).toThrow(/at least one model/);
    expect(() => createCascadeAgent({ models: [{ modelId: 'x' } as never] })).toThrow(/ChatModel v1/);
    expect(() => createCascadeAgent({ models: [new MockChatModel({ modelId: 'unpriced' })] })).toThrow(/no price for "unpriced" \(tier 0\)/);
    const { cheap, strong } = models();
    const agent = createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false });
    await expect(agent.run('')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(agent.run({ messages: [{ role: 'wizard', content: 'x' }] } as never)).rejects.toThrow(/messages\[0\]\.role/);
    await expect(agent.run({ messages: [{ role: 'user', content: 'x' }], maxOutputTokens: -1 })).rejects.toThrow(/maxOutputTokens/);
  });

  it('puts what a failed request consumed on the error', async () => {
    const cheap = new MockChatModel({ modelId: 'cheap', responses: [{ text: 'BAD', usage }] });
    const strong = new MockChatModel({ modelId: 'strong', responses: [{ error: mockProviderError(500) }] });
    const guard: CascadeMiddleware = { name: 'guard', guardOutput: () => ({ action: 'block', reason: 'unsafe', findings: [] }) };
    const error = (await createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false, middleware: [guard] }).run('q').catch((e: unknown) => e)) as CascadeError;
    expect(error.code).toBe('GUARDRAIL_BLOCKED');
    expect(error.details).toMatchObject({ costUsd: 150 / 1e6, usage: { inputTokens: 100, outputTokens: 50 } });
  });

  it('refuses batch requests when the policy turns batch off, before any reservation', async () => {
    const limiter = recordingLimiter();
    const { cheap, strong } = models();
    const agent = createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false, middleware: [limiter] });
    await expect(agent.run('q', { mode: 'batch', policy: { features: { batch: false } } })).rejects.toMatchObject({ code: 'FEATURE_NOT_ALLOWED' });
    expect(limiter.admitted).toBe(0);
    expect((await agent.run('q', { mode: 'batch' })).text).toBe('good answer');
  });
});
