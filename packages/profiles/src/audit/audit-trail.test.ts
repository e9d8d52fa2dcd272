import { type CascadeError, type CascadeMiddleware, type QualityValidator, createCascadeAgent, createPricing } from '@cascade/core';
import { MockChatModel } from '@cascade/core/test';
import { describe, expect, it, vi } from 'vitest';
import { createProfileManager } from '../manager/profile-manager';
import { createProfileMiddleware } from '../middleware/profile-middleware';
import { UserProfile } from '../profile/user-profile';
import { createMemoryProfileStore } from '../store/memory-store';
import type { AuditRecord } from './audit-record';
import type { AuditStore } from './audit-store';
import { createAuditTrail } from './audit-trail';
import { createMemoryAuditStore } from './memory-audit-store';

const DAY = 86_400_000;
const usage = { inputTokens: 100, outputTokens: 50 };
const pricing = createPricing({ includeDefaults: false, prices: { cheap: { inputUsdPerMTok: 1, outputUsdPerMTok: 1 }, strong: { inputUsdPerMTok: 30, outputUsdPerMTok: 30 } } });
const validator: QualityValidator = {
  name: 'test',
  validate: ({ draft, threshold }) => {
    const score = draft.text.includes('BAD') ? 0.1 : 0.9;
    return { score, passed: score >= threshold, signals: [], reason: 'test' };
  },
};
const EMAIL = /[\w.]+@[\w.]+/g;
/** Redacts e-mails on input and output, like the guardrails middleware would. */
const emailGuard: CascadeMiddleware = {
  name: 'guardrails',
  guardInput: (_context, request) => {
    const text = JSON.stringify(request.messages);
    if (!EMAIL.test(text)) return { action: 'allow' };
    return { action: 'modify', value: { ...request, messages: request.messages.map((message) => ({ ...message, content: String(message.content).replace(EMAIL, '[EMAIL]') })) }, findings: [{ guard: 'pii', type: 'EMAIL_ADDRESS', action: 'redact' }] };
  },
  guardOutput: (_context, text) => (text.match(EMAIL) ? { action: 'modify', value: text.replace(EMAIL, '[EMAIL]'), findings: [{ guard: 'pii', type: 'EMAIL_ADDRESS', action: 'redact' }] } : { action: 'allow' }),
};

function profile(userId: string, governance: Record<string, unknown> = {}, organization?: Record<string, unknown>): UserProfile {
  return UserProfile.fromTier('pro', userId).with({ governance, ...(organization ? { organization: organization as never } : {}) } as never);
}

function setup(options: { store?: AuditStore; profiles?: UserProfile[]; cheapText?: string; redact?: (text: string) => string; now?: () => number } = {}) {
  const store = options.store ?? createMemoryAuditStore();
  let clock = 1_000 * DAY;
  const now = options.now ?? (() => clock);
  const trail = createAuditTrail({}, { store, now, ...(options.redact ? { redact: options.redact } : {}) });
  const manager = createProfileManager({}, { store: createMemoryProfileStore(options.profiles ?? []) });
  const cheap = new MockChatModel({ modelId: 'cheap', responses: [{ text: options.cheapText ?? 'answer for ada@example.com', usage }] });
  const strong = new MockChatModel({ modelId: 'strong', responses: [{ text: 'strong answer', usage }] });
  const agent = createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false, complexityRouting: false, middleware: [createProfileMiddleware(manager), emailGuard, trail.middleware] });
  return { store, trail, agent, advance: (ms: number) => (clock += ms) };
}

const ask = { messages: [{ role: 'user' as const, content: 'Mail ada@example.com the totals' }] };

describe('createAuditTrail', () => {
  it('minimal: ids, models, tokens, cost, outcome, and nothing more', async () => {
    const { trail, agent } = setup({ profiles: [profile('u_min', { auditLogLevel: 'minimal' })] });
    const result = await agent.run(ask, { userId: 'u_min' });
    const [record] = await trail.exportUser('u_min');
    expect(record).toMatchObject({ requestId: result.requestId, level: 'minimal', outcome: 'success', userId: 'u_min', tier: 'pro', models: ['cheap'], answerModel: 'cheap', usage: { inputTokens: 100, outputTokens: 50 } });
    expect(record!.costUsd).toBeCloseTo(result.costUsd);
    for (const key of ['calls', 'guardrails', 'limits', 'prompt', 'answer', 'savings']) expect(record).not.toHaveProperty(key);
  });

  it('standard (the default): + each decision, guardrail findings (no values), limit decisions', async () => {
    const limiter: CascadeMiddleware = { name: 'limits', admit: () => ({ allowed: true, warnings: ['near the daily budget'] }) };
    const store = createMemoryAuditStore();
    const trail = createAuditTrail({}, { store });
    const manager = createProfileManager({}, { store: createMemoryProfileStore([profile('u_std')]) });
    const agent = createCascadeAgent({
      models: [new MockChatModel({ modelId: 'cheap', responses: [{ text: 'BAD', usage }] }), new MockChatModel({ modelId: 'strong', responses: [{ text: 'ok', usage }] })],
      validator, pricing, learning: false, complexityRouting: false, middleware: [createProfileMiddleware(manager), limiter, emailGuard, trail.middleware],
    });
    await agent.run(ask, { userId: 'u_std' });
    const [record] = await trail.exportUser('u_std');
    expect(record!.level).toBe('standard');
    expect(record!.calls?.map((call) => [call.modelId, call.status, call.score])).toEqual([['cheap', 'escalated', 0.1], ['strong', 'final', undefined]]);
    expect(record!.guardrails).toEqual([{ phase: 'input', guard: 'pii', type: 'EMAIL_ADDRESS', action: 'redact' }]);
    expect(record!.limits).toEqual([{ middleware: 'limits', allowed: true }]);
    expect(record).not.toHaveProperty('prompt');
    expect(JSON.stringify(record)).not.toContain('ada@example.com');
  });

  it('comprehensive: + the redacted prompt and answer; without a redactor, no text at all', async () => {
    const redact = (text: string) => text.replace(EMAIL, '[EMAIL]');
    const withRedactor = setup({ profiles: [profile('u_full', { auditLogLevel: 'comprehensive' })], redact });
    await withRedactor.agent.run(ask, { userId: 'u_full' });
    const [record] = await withRedactor.trail.exportUser('u_full');
    expect(record!.prompt).toEqual([{ role: 'user', content: 'Mail [EMAIL] the totals' }]);
    expect(record!.answer).toBe('answer for [EMAIL]');
    expect(JSON.stringify(record)).not.toContain('ada@example.com');

    const without = setup({ profiles: [profile('u_full', { auditLogLevel: 'comprehensive' })] });
    await without.agent.run(ask, { userId: 'u_full' });
    const [bare] = await without.trail.exportUser('u_full');
    expect(bare!.level).toBe('comprehensive');
    expect(bare).not.toHaveProperty('prompt');
    expect(bare).not.toHaveProperty('answer');
  });

  it('auditLogging false or level none records nothing; denials are recorded', async () => {
    const denier: CascadeMiddleware = { name: 'limits', admit: (context) => (context.principal?.userId === 'u_denied' ? { allowed: false, code: 'BUDGET_EXCEEDED', reason: 'daily budget spent' } : { allowed: true }) };
    const store = createMemoryAuditStore();
    const trail = createAuditTrail({}, { store });
    const manager = createProfileManager({}, { store: createMemoryProfileStore([profile('u_off', { auditLogging: false }), profile('u_none', { auditLogLevel: 'none' }), profile('u_denied')]) });
    const agent = createCascadeAgent({ models: [new MockChatModel({ modelId: 'cheap' }), new MockChatModel({ modelId: 'strong' })], validator, pricing, learning: false, middleware: [createProfileMiddleware(manager), denier, trail.middleware] });
    await agent.run('hi', { userId: 'u_off' });
    await agent.run('hi', { userId: 'u_none' });
    await expect(agent.run('hi', { userId: 'u_denied' })).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED' });
    await trail.flush();
    expect(store.size).toBe(1);
    const [denied] = await store.listByUser('u_denied');
    expect(denied).toMatchObject({ outcome: 'denied', errorCode: 'BUDGET_EXCEEDED', models: [], limits: [{ middleware: 'limits', allowed: false, code: 'BUDGET_EXCEEDED', reason: 'daily budget spent' }] });
  });

  it('retention: records expire after dataRetentionDays, and purge() removes them on the injected clock', async () => {
    const { trail, agent, advance, store } = setup({ profiles: [profile('u_short', { dataRetentionDays: 7 }), profile('u_keep')] });
    await agent.run('hi', { userId: 'u_short' });
    await agent.run('hi', { userId: 'u_keep' });
    await trail.flush();
    advance(7 * DAY - 1);
    expect(await trail.purge()).toBe(0);
    advance(1);
    expect(await trail.purge()).toBe(1);
    expect(await store.listByUser('u_short')).toEqual([]);
    expect(await store.listByUser('u_keep')).toHaveLength(1);
  });

  it('a slow store never slows a request, and no record of a finished request is lost (close flushes)', async () => {
    const inner = createMemoryAuditStore();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: AuditStore = { ...inner, append: async (records, options) => { await gate; return inner.append(records, options); } };
    const { trail, agent } = setup({ store: slow, profiles: [profile('u_slow')] });
    const results = await Promise.all(Array.from({ length: 250 }, (_, index) => agent.run(`question ${index}`, { userId: 'u_slow' })));
    expect(results).toHaveLength(250);
    expect(trail.stats().pending).toBe(250);
    expect(inner.size).toBe(0);
    const closing = trail.close();
    release();
    await closing;
    expect(inner.size).toBe(250);
    expect(new Set((await inner.listByUser('u_slow')).map((record: AuditRecord) => record.requestId))).toEqual(new Set(results.map((result) => result.requestId)));
  });

  it('a failing store: writes are retried with backoff until they land; none lost, none duplicated', async () => {
    vi.useFakeTimers();
    try {
      const inner = createMemoryAuditStore();
      let failures = 3;
      const flaky: AuditStore = { ...inner, append: async (records, options) => { if (failures-- > 0) throw new Error('connection reset'); return inner.append(records, options); } };
      const errors: string[] = [];
      const trail = createAuditTrail({ retryDelayMs: 100 }, { store: flaky, onError: (error) => errors.push(error.code) });
      const manager = createProfileManager({}, { store: createMemoryProfileStore([profile('u_flaky')]) });
      const agent = createCascadeAgent({ models: [new MockChatModel({ modelId: 'cheap' }), new MockChatModel({ modelId: 'strong' })], validator, pricing, learning: false, middleware: [createProfileMiddleware(manager), trail.middleware] });
      await agent.run('a', { userId: 'u_flaky' });
      await agent.run('b', { userId: 'u_flaky' });
      const flushed = trail.flush();
      await vi.runAllTimersAsync();
      await flushed;
      expect(errors).toEqual(['STORE_FAILED', 'STORE_FAILED', 'STORE_FAILED']);
      expect(inner.size).toBe(2);
      expect(trail.stats()).toMatchObject({ pending: 0, written: 2, failedWrites: 3 });
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('flush with a signal gives up on a dead store with STORE_FAILED, keeping the records queued', async () => {
    const dead: AuditStore = { ...createMemoryAuditStore(), append: async () => { throw new Error('down'); } };
    const { trail, agent } = setup({ store: dead, profiles: [profile('u_dead')] });
    await agent.run('a', { userId: 'u_dead' });
    const controller = new AbortController();
    const flushing = trail.flush({ abortSignal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(flushing).rejects.toMatchObject({ code: 'STORE_FAILED' });
    expect(trail.stats().pending).toBe(1);
  });
});

describe('createAuditTrail: a bounded queue', () => {
  /** A store whose writes wait until `open()`; `fail` makes them throw instead. */
  function gatedStore() {
    const inner = createMemoryAuditStore();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const state = { fail: false };
    const store: AuditStore = {
      ...inner,
      append: async (records, options) => {
        if (state.fail) throw new Error('connection refused');
        await gate;
        return inner.append(records, options);
      },
    };
    return { inner, store, open, state };
  }

  function boundedAgent(store: AuditStore, config: { maxQueued: number; maxAdmitWaitMs: number }, extra: { before?: CascadeMiddleware[]; cheapLatencyMs?: number; onError?: (error: CascadeError) => void } = {}) {
    const trail = createAuditTrail({ ...config, retryDelayMs: 5 }, { store, ...(extra.onError ? { onError: extra.onError } : {}) });
    const manager = createProfileManager({}, { store: createMemoryProfileStore([profile('u_q')]) });
    const agent = createCascadeAgent({
      models: [new MockChatModel({ modelId: 'cheap', latencyMs: extra.cheapLatencyMs ?? 0 }), new MockChatModel({ modelId: 'strong' })],
      validator, pricing, learning: false, complexityRouting: false,
      middleware: [createProfileMiddleware(manager), ...(extra.before ?? []), trail.middleware],
    });
    return { trail, agent };
  }

  it('refuses a request with a retryable STORE_FAILED once maxQueued records wait for a stuck store; the queued ones all land', async () => {
    const { inner, store, open } = gatedStore();
    const { trail, agent } = boundedAgent(store, { maxQueued: 3, maxAdmitWaitMs: 0 });
    const served = [];
    for (let index = 0; index < 3; index++) served.push(await agent.run(`q${index}`, { userId: 'u_q' }));
    const refused = await agent.run('one too many', { userId: 'u_q' }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'STORE_FAILED', retryable: true, message: expect.stringMatching(/audit trail is full .*maxQueued 3/) });
    expect(trail.stats()).toMatchObject({ pending: 3, reserved: 0, refused: 1, dropped: 0 });
    open();
    await trail.flush();
    expect((await inner.listByUser('u_q')).map((record) => record.requestId).sort()).toEqual(served.map((result) => result.requestId).sort());
    // Room again: the next request is served and recorded.
    await agent.run('later', { userId: 'u_q' });
    await trail.flush();
    expect(inner.size).toBe(4);
  });

  it('backpressure: a request waits at admission until the store catches up, then is served and recorded (none lost)', async () => {
    const { inner, store, open } = gatedStore();
    const { trail, agent } = boundedAgent(store, { maxQueued: 2, maxAdmitWaitMs: 60_000 });
    await agent.run('a', { userId: 'u_q' });
    await agent.run('b', { userId: 'u_q' });
    let done = false;
    const waiting = agent.run('c', { userId: 'u_q' }).then((result) => {
      done = true;
      return result;
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(done).toBe(false);
    expect(trail.stats()).toMatchObject({ pending: 2, reserved: 0 });
    open();
    const third = await waiting;
    await trail.flush();
    expect((await inner.listByUser('u_q')).map((record) => record.requestId)).toContain(third.requestId);
    expect(trail.stats()).toMatchObject({ pending: 0, reserved: 0, written: 3, refused: 0, dropped: 0 });
  });

  it('requests in flight hold their slot: with two running and maxQueued 2, a third is refused though nothing is queued yet', async () => {
    const { inner, store, open } = gatedStore();
    open();
    const { trail, agent } = boundedAgent(store, { maxQueued: 2, maxAdmitWaitMs: 0 }, { cheapLatencyMs: 300 });
    const running = [agent.run('a', { userId: 'u_q' }), agent.run('b', { userId: 'u_q' })];
    await expect.poll(() => trail.stats().reserved, { interval: 5 }).toBe(2);
    await expect(agent.run('c', { userId: 'u_q' })).rejects.toMatchObject({ code: 'STORE_FAILED' });
    await Promise.all(running);
    await trail.flush();
    expect(inner.size).toBe(2);
    expect(trail.stats()).toMatchObject({ reserved: 0, refused: 1 });
  });

  it('one free slot admits one waiter: with five waiting and one batch written, the bound holds', async () => {
    const inner = createMemoryAuditStore();
    const gates: (() => void)[] = [];
    // Each write waits for its own gate, so slots free one batch (of one record) at a time.
    const stepped: AuditStore = { ...inner, append: async (records, options) => { await new Promise<void>((resolve) => gates.push(resolve)); return inner.append(records, options); } };
    const trail = createAuditTrail({ maxQueued: 2, maxAdmitWaitMs: 60_000, batchSize: 1 }, { store: stepped });
    const manager = createProfileManager({}, { store: createMemoryProfileStore([profile('u_q')]) });
    const agent = createCascadeAgent({
      models: [new MockChatModel({ modelId: 'cheap' }), new MockChatModel({ modelId: 'strong' })], validator, pricing, learning: false, complexityRouting: false,
      middleware: [createProfileMiddleware(manager), trail.middleware],
    });
    await agent.run('a', { userId: 'u_q' });
    await agent.run('b', { userId: 'u_q' });
    const waiting = Array.from({ length: 5 }, (_, index) => agent.run(`w${index}`, { userId: 'u_q' }));
    let peak = 0;
    for (let step = 0; step < 7; step++) {
      await expect.poll(() => gates.length, { interval: 1 }).toBeGreaterThan(0);
      gates.shift()!();
      await new Promise((resolve) => setTimeout(resolve, 5));
      const { pending, reserved } = trail.stats();
      peak = Math.max(peak, pending + reserved);
    }
    await Promise.all(waiting);
    expect(peak).toBeLessThanOrEqual(2);
    await trail.flush();
    expect(inner.size).toBe(7);
  });

  it('an aborted wait frees nothing it did not take: ABORTED, and no slot leaks', async () => {
    const { store, open } = gatedStore();
    const { trail, agent } = boundedAgent(store, { maxQueued: 1, maxAdmitWaitMs: 60_000 });
    await agent.run('a', { userId: 'u_q' });
    const controller = new AbortController();
    const waiting = agent.run('b', { userId: 'u_q', abortSignal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'ABORTED' });
    // It never took a slot; its (aborted) record found the queue full: dropped and counted, not silently.
    expect(trail.stats()).toMatchObject({ reserved: 0, dropped: 1 });
    open();
    await trail.flush();
    expect(trail.stats()).toMatchObject({ pending: 0, reserved: 0 });
  });

  it('a failing store: waiting requests are refused after maxAdmitWaitMs; the records already queued are written once it recovers', async () => {
    const { inner, store, open, state } = gatedStore();
    state.fail = true;
    open();
    const errors: string[] = [];
    const { trail, agent } = boundedAgent(store, { maxQueued: 2, maxAdmitWaitMs: 20 }, { onError: (error) => errors.push(error.code) });
    const served = [await agent.run('a', { userId: 'u_q' }), await agent.run('b', { userId: 'u_q' })];
    await expect(agent.run('c', { userId: 'u_q' })).rejects.toMatchObject({ code: 'STORE_FAILED' });
    expect(errors.length).toBeGreaterThan(0);
    state.fail = false;
    await trail.flush();
    expect((await inner.listByUser('u_q')).map((record) => record.requestId).sort()).toEqual(served.map((result) => result.requestId).sort());
  });

  it('the record of a request denied before it took a slot is dropped when the queue is full: counted and reported, never silently', async () => {
    const { inner, store, open } = gatedStore();
    const deny = { on: false };
    const limiter: CascadeMiddleware = { name: 'limits', admit: () => (deny.on ? { allowed: false, code: 'RATE_LIMITED', reason: 'requestsPerMinute reached' } : { allowed: true }) };
    const errors: CascadeError[] = [];
    const { trail, agent } = boundedAgent(store, { maxQueued: 1, maxAdmitWaitMs: 0 }, { before: [limiter], onError: (error) => errors.push(error) });
    await agent.run('a', { userId: 'u_q' });
    deny.on = true;
    await expect(agent.run('b', { userId: 'u_q' })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(trail.stats()).toMatchObject({ pending: 1, dropped: 1 });
    expect(errors.map((error) => error.code)).toEqual(['STORE_FAILED']);
    expect(errors[0]!.message).toMatch(/Dropped the audit record of request .* \(outcome denied\)/);
    open();
    await trail.flush();
    // With room, a denial is recorded as before.
    await expect(agent.run('c', { userId: 'u_q' })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await trail.flush();
    expect((await inner.listByUser('u_q')).map((record) => record.outcome)).toEqual(['success', 'denied']);
  });

  it('rejects a maxQueued that is not a positive integer, naming it', () => {
    expect(() => createAuditTrail({ maxQueued: 0 }, { store: createMemoryAuditStore() })).toThrow(/maxQueued/);
  });
});
