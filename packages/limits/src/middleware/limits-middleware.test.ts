import { describe, expect, it } from 'vitest';
import type { AgentPolicy, PipelineContext, Principal, Reservation } from '@cascade/core';
import { createMemoryStore } from '../memory/memory-store';
import { createLimitsMiddleware } from './limits-middleware';

const NOW = Date.parse('2025-06-01T12:00:00Z');

function contextFor(principal: Principal, policy: AgentPolicy, estimate = { inputTokens: 100, maxOutputTokens: 400, costUsd: 0.01 }): PipelineContext {
  return {
    requestId: 'r',
    mode: 'run',
    userId: principal.userId,
    principal,
    policy,
    request: { messages: [{ role: 'user', content: 'hi' }] } as PipelineContext['request'],
    estimate,
    abortSignal: undefined,
    state: new Map(),
  };
}

function setup() {
  let time = NOW;
  const middleware = createLimitsMiddleware({}, { store: createMemoryStore(), now: () => time });
  return { admit: (context: PipelineContext) => middleware.admit!(context), advance: (ms: number) => (time += ms) };
}

const usage = (tokens: number) => ({ inputTokens: tokens, outputTokens: 0, source: 'provider' as const });

describe('createLimitsMiddleware', () => {
  it('denies with RATE_LIMITED and retry-after; other users are not affected', async () => {
    const { admit } = setup();
    const policy: AgentPolicy = { limits: { user: { rate: { requestsPerMinute: 2 } } } };
    for (let index = 0; index < 2; index++) expect((await admit(contextFor({ userId: 'a' }, policy))).allowed).toBe(true);
    const denied = await admit(contextFor({ userId: 'a' }, policy));
    expect(denied).toMatchObject({ allowed: false, code: 'RATE_LIMITED', details: { dimension: 'requests', limit: 2 } });
    if (denied.allowed) throw new Error('unreachable');
    expect(denied.retryAfterMs).toBeGreaterThan(0);
    expect(denied.reason).toMatch(/user "a" is over its limit of 2 requests per minute/);
    expect((await admit(contextFor({ userId: 'b' }, policy))).allowed).toBe(true);
  });

  it('reserves prompt + max output tokens and settles to the actual usage on success', async () => {
    const { admit } = setup();
    const policy: AgentPolicy = { limits: { user: { rate: { tokensPerMinute: 1000 } } } };
    const first = await admit(contextFor({ userId: 'a' }, policy));
    expect((await admit(contextFor({ userId: 'a' }, policy, { inputTokens: 100, maxOutputTokens: 500, costUsd: 0 }))).allowed).toBe(false);
    if (!first.allowed) throw new Error('denied');
    await first.reservation!.settle({ usage: usage(50), costUsd: 0, outcome: 'success' });
    expect((await admit(contextFor({ userId: 'a' }, policy, { inputTokens: 100, maxOutputTokens: 500, costUsd: 0 }))).allowed).toBe(true);
  });

  for (const outcome of ['error', 'aborted'] as const) {
    it(`refunds tokens, cost and the concurrency slot on ${outcome}`, async () => {
      const { admit } = setup();
      const policy: AgentPolicy = { limits: { user: { rate: { tokensPerMinute: 500, maxConcurrent: 1 }, budget: { dailyUsd: 0.01 } } } };
      const first = await admit(contextFor({ userId: 'a' }, policy));
      if (!first.allowed) throw new Error('denied');
      expect((await admit(contextFor({ userId: 'a' }, policy))).allowed).toBe(false);
      await first.reservation!.settle({ usage: usage(0), costUsd: 0, outcome });
      await first.reservation!.settle({ usage: usage(0), costUsd: 0, outcome });
      expect((await admit(contextFor({ userId: 'a' }, policy))).allowed).toBe(true);
    });
  }

  it('denies with BUDGET_EXCEEDED when the organization budget shared by its users is spent', async () => {
    const { admit } = setup();
    const policy: AgentPolicy = { limits: { organization: { budget: { dailyUsd: 0.02 } }, timeZone: 'America/New_York' } };
    const holds: Reservation[] = [];
    for (const userId of ['a', 'b']) {
      const result = await admit(contextFor({ userId, organizationId: 'acme' }, policy));
      if (!result.allowed) throw new Error('denied');
      holds.push(result.reservation!);
    }
    // Both estimates are still held by requests in flight: retry soon, not at midnight.
    const held = await admit(contextFor({ userId: 'c', organizationId: 'acme' }, policy));
    expect(held).toMatchObject({ allowed: false, code: 'BUDGET_EXCEEDED', retryAfterMs: 1_000, details: { key: 'organization:acme', reason: 'reservations-in-flight' } });
    for (const hold of holds) await hold.settle({ usage: usage(10), costUsd: 0.01, outcome: 'success' });
    const denied = await admit(contextFor({ userId: 'c', organizationId: 'acme' }, policy));
    expect(denied).toMatchObject({ allowed: false, code: 'BUDGET_EXCEEDED', details: { key: 'organization:acme', reason: 'limit-exceeded' } });
    if (denied.allowed) throw new Error('unreachable');
    expect(denied.reason).toMatch(/has used its daily budget of \$0.02/);
    // Spent: next midnight in New York is 04:00 UTC.
    expect(denied.retryAfterMs).toBe(Date.parse('2025-06-02T04:00:00Z') - NOW);
    expect((await admit(contextFor({ userId: 'c', organizationId: 'other' }, policy))).allowed).toBe(true);
  });

  it('a budget partly spent says what is left and that a smaller max_tokens may fit, not that it is used up', async () => {
    const { admit } = setup();
    const policy: AgentPolicy = { limits: { organization: { budget: { dailyUsd: 0.02 } } } };
    const holds: Reservation[] = [];
    for (const userId of ['a', 'b']) {
      const result = await admit(contextFor({ userId, organizationId: 'acme' }, policy));
      if (!result.allowed) throw new Error('denied');
      holds.push(result.reservation!);
    }
    await holds[0]!.settle({ usage: usage(10), costUsd: 0.015, outcome: 'success' });
    await holds[1]!.settle({ usage: usage(0), costUsd: 0, outcome: 'success' });
    const denied = await admit(contextFor({ userId: 'c', organizationId: 'acme' }, policy));
    if (denied.allowed) throw new Error('expected a denial');
    expect(denied.code).toBe('BUDGET_EXCEEDED');
    expect(denied.reason).toMatch(/has \$0\.005 left of its daily budget of \$0\.02, less than this request's worst-case estimate/);
    expect(denied.reason).toMatch(/lower max_tokens/);
    expect(denied.reason).not.toMatch(/has used its/);
  });

  it('a worst-case estimate above the cap is exceeds-capacity: says to lower max_tokens, no Retry-After, nothing taken', async () => {
    const { admit } = setup();
    // A fresh user with $0.01 a day and $0 spent; no max_tokens, so the estimate uses the model's maximum output.
    const policy: AgentPolicy = { limits: { user: { budget: { dailyUsd: 0.01 }, rate: { tokensPerMinute: 4_000 } } } };
    const denied = await admit(contextFor({ userId: 'fresh' }, policy, { inputTokens: 20, maxOutputTokens: 3_000, costUsd: 0.0123 }));
    expect(denied).toMatchObject({ allowed: false, code: 'BUDGET_EXCEEDED', details: { reason: 'exceeds-capacity', dimension: 'cost', limit: 0.01, requested: 0.0123 } });
    if (denied.allowed) throw new Error('unreachable');
    expect(denied.retryAfterMs).toBeUndefined();
    expect(denied.reason).toMatch(/estimate \(\$0\.0123.*alone is above the user "fresh"'s daily budget of \$0\.01.*lower max_tokens/);
    expect(denied.reason).not.toMatch(/has used/);
    // Tokens the same way; and nothing was taken: a request that fits is admitted.
    const tokens = await admit(contextFor({ userId: 'fresh' }, policy, { inputTokens: 1_000, maxOutputTokens: 4_000, costUsd: 0.001 }));
    expect(tokens).toMatchObject({ allowed: false, code: 'RATE_LIMITED', details: { reason: 'exceeds-capacity', dimension: 'tokens', requested: 5_000 } });
    expect((await admit(contextFor({ userId: 'fresh' }, policy, { inputTokens: 20, maxOutputTokens: 300, costUsd: 0.0012 }))).allowed).toBe(true);
  });

  it('room held by requests in flight is reservations-in-flight: Retry-After of at most 1 s, for budgets and tokens', async () => {
    const { admit, advance } = setup();
    const policy: AgentPolicy = { limits: { user: { budget: { dailyUsd: 0.05 }, rate: { tokensPerMinute: 100_000 } } } };
    const estimate = { inputTokens: 100, maxOutputTokens: 4_000, costUsd: 0.02 };
    const first = await admit(contextFor({ userId: 'u' }, policy, estimate));
    const second = await admit(contextFor({ userId: 'u' }, policy, estimate));
    if (!first.allowed || !second.allowed) throw new Error('denied');
    advance(5_000);
    const held = await admit(contextFor({ userId: 'u' }, policy, estimate));
    expect(held).toMatchObject({ allowed: false, code: 'BUDGET_EXCEEDED', retryAfterMs: 1_000, details: { reason: 'reservations-in-flight', dimension: 'cost' } });
    if (held.allowed) throw new Error('unreachable');
    expect(held.reason).toMatch(/held by requests still in flight.*Retry in 1 s/);
    // Once they settle (a cheap answer) the room is back.
    await first.reservation!.settle({ usage: usage(300), costUsd: 0.001, outcome: 'success' });
    expect((await admit(contextFor({ userId: 'u' }, policy, estimate))).allowed).toBe(true);

    const tokenPolicy: AgentPolicy = { limits: { user: { rate: { tokensPerMinute: 8_000 } } } };
    const open = await admit(contextFor({ userId: 't' }, tokenPolicy, { inputTokens: 100, maxOutputTokens: 6_000, costUsd: 0 }));
    expect(open.allowed).toBe(true);
    const tokens = await admit(contextFor({ userId: 't' }, tokenPolicy, { inputTokens: 100, maxOutputTokens: 4_000, costUsd: 0 }));
    expect(tokens).toMatchObject({ allowed: false, code: 'RATE_LIMITED', retryAfterMs: 1_000, details: { reason: 'reservations-in-flight', dimension: 'tokens' } });
  });

  it('a denial by one key consumes nothing from the others', async () => {
    const { admit } = setup();
    const policy: AgentPolicy = { limits: { user: { rate: { requestsPerMinute: 1 } }, organization: { rate: { requestsPerMinute: 1 } } } };
    expect((await admit(contextFor({ userId: 'a', organizationId: 'o' }, policy))).allowed).toBe(true);
    // Org is full: user b is denied, and b's own minute stays unused.
    expect((await admit(contextFor({ userId: 'b', organizationId: 'o' }, policy))).allowed).toBe(false);
    expect((await admit(contextFor({ userId: 'b', organizationId: 'p' }, policy))).allowed).toBe(true);
  });

  it('warn mode lets the request through with a warning', async () => {
    const { admit } = setup();
    const policy: AgentPolicy = { limits: { enforcement: 'warn', user: { rate: { requestsPerMinute: 1 } } } };
    await admit(contextFor({ userId: 'a' }, policy));
    const warned = await admit(contextFor({ userId: 'a' }, policy));
    expect(warned).toMatchObject({ allowed: true, warnings: [expect.stringMatching(/over its limit/)] });
  });

  it('without limits in the policy it admits without touching the store', async () => {
    const { admit } = setup();
    expect(await admit(contextFor({ userId: 'a' }, {}))).toEqual({ allowed: true });
  });

  it('a store that is down fails per its mode with the reason', async () => {
    const failing = { kind: 'flaky', evaluate: () => Promise.resolve({ allowed: false, failedOperation: -1, failedCounter: -1, retryAfterMs: 0, remaining: [], resetAt: [], unavailable: { failMode: 'closed' as const, error: new Error('connection refused') } }) };
    const middleware = createLimitsMiddleware({}, { store: failing });
    const result = await middleware.admit!(contextFor({ userId: 'a' }, { limits: { user: { rate: { requestsPerMinute: 1 } } } }));
    expect(result).toMatchObject({ allowed: false, code: 'RATE_LIMITED', reason: expect.stringMatching(/connection refused.*fails closed/) });
  });
});
