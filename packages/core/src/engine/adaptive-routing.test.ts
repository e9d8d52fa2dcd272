import { describe, expect, it } from 'vitest';
import type { QualityValidator } from '../quality/quality-validator';
import { tierPricing as pricing } from './__fixtures__/tier-pricing';
import { MockChatModel, mockProviderError } from '../test/mock-chat-model';
import { DraftAcceptanceStats, adaptiveRoutingOptionsSchema } from './adaptive-routing';
import { type CascadeAgentConfig, createCascadeAgent } from './create-cascade-agent';

// With tierPricing strong costs 30x cheap: a draft pays only when more than 1 in 30 pass.
/** Every draft scores `state.score`: rejected at targets above it, accepted below. */
function scoringValidator(state = { score: 0.8 }): QualityValidator & { state: { score: number } } {
  return {
    name: 'test',
    state,
    validate: ({ threshold }) => ({ score: state.score, passed: state.score >= threshold, signals: [], reason: state.score >= threshold ? 'fine' : 'below target' }),
  };
}

const usage = { inputTokens: 100, outputTokens: 50 };
const model = (modelId: string, response: ConstructorParameters<typeof MockChatModel>[0] = {}) =>
  new MockChatModel({ modelId, responses: [{ text: `${modelId} answer`, usage }], ...response });

const HIGH = { qualityTarget: 0.9 };
const LOW = { qualityTarget: 0.5 };

const LEARN_FAST = { minSamples: 5, exploreRate: 0 };

/** cheap → strong; `adaptive` absent means the option is not passed at all. */
function setup(adaptive: { adaptiveRouting?: CascadeAgentConfig['adaptiveRouting'] } = { adaptiveRouting: LEARN_FAST }) {
  const cheap = model('cheap');
  const strong = model('strong');
  const validator = scoringValidator();
  const agent = createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false, ...adaptive });
  return { cheap, strong, validator, agent };
}

describe('adaptive routing', () => {
  it('skips a drafter whose drafts keep failing at a high target and says why', async () => {
    const { cheap, strong, agent } = setup();
    for (let i = 0; i < 5; i++) {
      const result = await agent.run('q', { policy: HIGH });
      expect(result.attempts.map((a) => a.status)).toEqual(['escalated', 'final']);
      expect(result.routing.adaptive).toEqual({ skipped: [] });
    }
    expect(cheap.calls).toHaveLength(5);
    for (let i = 0; i < 10; i++) {
      const result = await agent.run('q', { policy: HIGH });
      expect(result.modelId).toBe('strong');
      expect(result.attempts.map((a) => a.status)).toEqual(['final']);
      expect(result.routing.startTier).toBe(1);
      expect(result.routing.adaptive).toEqual({ skipped: [{ model: 'cheap', acceptRate: 0, samples: 5 }] });
      // Skipping the draft is exactly the strong model alone.
      expect(result.savings).toBeCloseTo(0);
    }
    expect(cheap.calls).toHaveLength(5);
    expect(strong.calls).toHaveLength(15);
  });

  it('keeps drafting at a low target where drafts pass', async () => {
    const { cheap, strong, agent } = setup();
    for (let i = 0; i < 30; i++) {
      const result = await agent.run('q', { policy: LOW });
      expect(result.modelId).toBe('cheap');
      expect(result.routing.adaptive).toEqual({ skipped: [] });
    }
    expect(cheap.calls).toHaveLength(30);
    expect(strong.calls).toHaveLength(0);
  });

  it('keeps drafting while enough drafts pass to pay for themselves', async () => {
    // 1 in 5 passes: 0.2 × cost(strong) = 6 × cost(cheap) > cost(cheap).
    const cheap = new MockChatModel({ modelId: 'cheap', responses: (_request, index) => ({ text: index % 5 === 0 ? 'pass' : 'fail', usage }) });
    const validator: QualityValidator = { name: 't', validate: ({ draft }) => ({ score: 0, passed: draft.text === 'pass', signals: [], reason: draft.text }) };
    const agent = createCascadeAgent({ models: [cheap, model('strong')], validator, pricing, learning: false, adaptiveRouting: { minSamples: 5, exploreRate: 0 } });
    for (let i = 0; i < 25; i++) await agent.run('q');
    expect(cheap.calls).toHaveLength(25);
  });

  it('explores with the injected random, and a drafter that starts passing comes back', async () => {
    let roll = 0.9;
    const { cheap, validator, agent } = setup({ adaptiveRouting: { minSamples: 5, exploreRate: 0.1, random: () => roll } });
    for (let i = 0; i < 5; i++) await agent.run('q', { policy: HIGH });
    await agent.run('q', { policy: HIGH });
    expect(cheap.calls).toHaveLength(5);
    // The roll falls under exploreRate: the skipped drafter drafts, and the answer counts.
    roll = 0.05;
    const explored = await agent.run('q', { policy: HIGH });
    expect(cheap.calls).toHaveLength(6);
    expect(explored.routing.adaptive).toEqual({ skipped: [], explored: { model: 'cheap', acceptRate: 0, samples: 5 } });
    expect(explored.routing.startTier).toBe(0);
    // The drafter got better; the next exploration sees it pass, and then it drafts every time again.
    validator.state.score = 0.95;
    roll = 0.9;
    await agent.run('q', { policy: HIGH });
    expect(cheap.calls).toHaveLength(6);
    roll = 0.05;
    expect((await agent.run('q', { policy: HIGH })).modelId).toBe('cheap');
    roll = 0.9;
    for (let i = 0; i < 5; i++) {
      const result = await agent.run('q', { policy: HIGH });
      expect(result.modelId).toBe('cheap');
      expect(result.routing.adaptive?.skipped).toEqual([]);
    }
    expect(cheap.calls).toHaveLength(12);
  });

  it('keeps statistics per threshold bucket: high-target users do not make low-target users skip', async () => {
    const { cheap, agent } = setup();
    for (let i = 0; i < 6; i++) await agent.run('q', { policy: HIGH });
    expect(cheap.calls).toHaveLength(5);
    const low = await agent.run('q', { policy: LOW });
    expect(low.modelId).toBe('cheap');
    expect(low.routing.adaptive).toEqual({ skipped: [] });
    // 0.89 rounds to the same 0.05 bucket as 0.9.
    expect((await agent.run('q', { policy: { qualityTarget: 0.89 } })).routing.startTier).toBe(1);
    // qualityMin raises the threshold like the target does.
    expect((await agent.run('q', { policy: { qualityTarget: 0.5, qualityMin: 0.9 } })).routing.startTier).toBe(1);
  });

  it('is off by default: the same calls and no adaptive routing', async () => {
    const { cheap, strong, agent } = setup({});
    for (let i = 0; i < 30; i++) {
      const result = await agent.run('q', { policy: HIGH });
      expect(result.routing).toEqual({ startTier: 0, skippedModels: [] });
    }
    expect(cheap.calls).toHaveLength(30);
    expect(strong.calls).toHaveLength(30);
    const explicitOff = setup({ adaptiveRouting: false });
    for (let i = 0; i < 10; i++) await explicitOff.agent.run('q', { policy: HIGH });
    expect(explicitOff.cheap.calls).toHaveLength(10);
  });

  it('true uses the defaults (20 samples)', async () => {
    const { cheap, agent } = setup({ adaptiveRouting: true });
    for (let i = 0; i < 40; i++) await agent.run('q', { policy: HIGH });
    // 20 drafts to learn, then about 5% exploration.
    expect(cheap.calls.length).toBeGreaterThanOrEqual(20);
    expect(cheap.calls.length).toBeLessThan(30);
  });

  it('provider errors are not judgements: a failing drafter is never learned as rejected', async () => {
    const cheap = new MockChatModel({ modelId: 'cheap', responses: [{ error: mockProviderError(503) }] });
    const agent = createCascadeAgent({ models: [cheap, model('strong')], validator: scoringValidator(), pricing, learning: false, adaptiveRouting: { minSamples: 2, exploreRate: 0 } }, { sleep: () => Promise.resolve() });
    for (let i = 0; i < 6; i++) await agent.run('q', { policy: HIGH });
    // Two calls per request: the default retry of a 503 on the same tier, then the fall-through.
    expect(cheap.calls).toHaveLength(12);
  });

  it('composes with complexity routing: it starts from where complexity routing starts', async () => {
    const cheap = model('cheap');
    const mid = model('mid');
    const strong = model('strong');
    const validator: QualityValidator = {
      ...scoringValidator(),
      assessComplexity: (request) => ({ score: 0.9, startTier: JSON.stringify(request).includes('hard') ? 1 : 0, signals: [] }),
    };
    const agent = createCascadeAgent({ models: [cheap, mid, strong], validator, pricing, learning: false, adaptiveRouting: { minSamples: 3, exploreRate: 0 } });
    for (let i = 0; i < 3; i++) await agent.run('hard q', { policy: HIGH });
    expect(mid.calls).toHaveLength(3);
    const hard = await agent.run('hard q', { policy: HIGH });
    expect(hard.modelId).toBe('strong');
    expect(hard.routing).toMatchObject({ startTier: 2, complexity: { startTier: 1 }, adaptive: { skipped: [{ model: 'mid', acceptRate: 0, samples: 3 }] } });
    expect(mid.calls).toHaveLength(3);
    expect(cheap.calls).toHaveLength(0);
    // Easy queries still draft the cheap tier: it has no samples yet.
    const easy = await agent.run('easy q', { policy: HIGH });
    expect(easy.routing.startTier).toBe(0);
    expect(cheap.calls).toHaveLength(1);
  });

  it('composes with policy-forbidden models and never skips the last allowed tier', async () => {
    const cheap = model('cheap');
    const mid = model('mid');
    const strong = model('strong');
    const agent = createCascadeAgent({ models: [cheap, mid, strong], validator: scoringValidator(), pricing, learning: false, adaptiveRouting: { minSamples: 3, exploreRate: 0 } });
    const noMid = { ...HIGH, blockedModels: ['mid'] };
    for (let i = 0; i < 3; i++) await agent.run('q', { policy: noMid });
    const skipped = await agent.run('q', { policy: noMid });
    expect(skipped.modelId).toBe('strong');
    expect(skipped.routing).toMatchObject({ startTier: 2, skippedModels: ['mid'], adaptive: { skipped: [{ model: 'cheap' }] } });
    expect(mid.calls).toHaveLength(0);
    expect(cheap.calls).toHaveLength(3);
    // With only cheap and mid allowed, drafting cheap before mid (5x) does not pay either: mid answers.
    const cheapMid = await agent.run('q', { policy: { ...HIGH, allowedModels: ['cheap', 'mid'] } });
    expect(cheapMid.modelId).toBe('mid');
    expect(cheapMid.attempts.map((a) => a.status)).toEqual(['final']);
    // The only allowed tier is the final tier: always called, whatever its drafts scored.
    const only = await agent.run('q', { policy: { ...HIGH, allowedModels: ['cheap'] } });
    expect(only.modelId).toBe('cheap');
    expect(cheap.calls).toHaveLength(4);
  });

  it('stream sessions (agent.begin) get the same routing, and an early-escalated stream draft counts as rejected', async () => {
    const { cheap, agent } = setup({ adaptiveRouting: { minSamples: 3, exploreRate: 0 } });
    for (let i = 0; i < 3; i++) {
      const session = await agent.begin('q', { policy: HIGH, mode: 'stream' });
      expect(session.tiers.map((tier) => tier.model.modelId)).toEqual(['cheap', 'strong']);
      // What the stream driver records when it cancels a draft mid-way.
      session.recordCall(session.tiers[0]!, { ...usage, source: 'provider' }, 5, 'abandoned', 'early escalation');
      await session.finish('success');
    }
    const session = await agent.begin('q', { policy: HIGH, mode: 'stream' });
    expect(session.tiers.map((tier) => tier.model.modelId)).toEqual(['strong']);
    expect(session.routing).toMatchObject({ startTier: 1, adaptive: { skipped: [{ model: 'cheap', acceptRate: 0, samples: 3 }] } });
    await session.finish('success');
    // run() shares the statistics.
    expect((await agent.run('q', { policy: HIGH })).modelId).toBe('strong');
    expect(cheap.calls).toHaveLength(0);
  });

  it('does nothing when the policy turns quality validation off (drafts are accepted unjudged)', async () => {
    const { cheap, agent } = setup();
    for (let i = 0; i < 6; i++) await agent.run('q', { policy: HIGH });
    const result = await agent.run('q', { policy: { ...HIGH, features: { qualityValidation: false } } });
    expect(result.modelId).toBe('cheap');
    expect(result.routing.adaptive).toBeUndefined();
    expect(cheap.calls).toHaveLength(6);
  });

  it('rejects bad options with a message', () => {
    expect(() => setup({ adaptiveRouting: { exploreRate: 2 } })).toThrow(/exploreRate/);
    expect(() => setup({ adaptiveRouting: { minSamples: 0 } })).toThrow(/minSamples/);
  });
});

describe('DraftAcceptanceStats', () => {
  const tier = (modelId: string, estimateUsd: number) => ({ model: model(modelId), tier: 0, estimateUsd });

  it('decays old observations by halfLife', () => {
    const stats = new DraftAcceptanceStats(adaptiveRoutingOptionsSchema.parse({ minSamples: 1, halfLife: 1 }));
    for (let i = 0; i < 20; i++) stats.recordDraft('cheap', 0.9, false);
    stats.recordDraft('cheap', 0.9, true);
    // One fresh acceptance against a history worth about one more sample.
    expect(stats.estimate('cheap', 0.9)?.acceptRate).toBeCloseTo(0.5, 2);
    expect(stats.estimate('cheap', 0.9)?.samples).toBe(21);
    expect(stats.estimate('cheap', 0.5)).toBeUndefined();
  });

  it('skips exactly when p × cost(next) ≤ cost(draft)', () => {
    const stats = new DraftAcceptanceStats(adaptiveRoutingOptionsSchema.parse({ minSamples: 10, exploreRate: 0, halfLife: 1e9 }));
    for (let i = 0; i < 10; i++) stats.recordDraft('cheap', 0.9, i === 0);
    // p = 0.1: pays against 11x, not against 9x.
    expect(stats.plan([tier('cheap', 1), tier('strong', 11)], 0.9).start).toBe(0);
    expect(stats.plan([tier('cheap', 1), tier('strong', 9)], 0.9).start).toBe(1);
  });

  it('values latency when asked to', () => {
    const stats = new DraftAcceptanceStats(adaptiveRoutingOptionsSchema.parse({ minSamples: 10, exploreRate: 0, halfLife: 1e9, latencyUsdPerSecond: 1 }));
    for (let i = 0; i < 10; i++) stats.recordDraft('cheap', 0.9, i < 2);
    // p = 0.2 against 11x pays on money alone; a 3 s drafter before a 1 s strong model does not.
    expect(stats.plan([tier('cheap', 1), tier('strong', 11)], 0.9).start).toBe(0);
    stats.recordLatency('cheap', 3000);
    stats.recordLatency('strong', 1000);
    expect(stats.plan([tier('cheap', 1), tier('strong', 11)], 0.9).start).toBe(1);
  });
});
