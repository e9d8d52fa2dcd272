import { describe, expect, it } from 'vitest';
import { CascadeError } from '../errors/cascade-error';
import { isModelAllowed } from '../policy/agent-policy';
import { mergePolicies } from '../policy/merge-policy';
import { createPricing } from '../pricing/pricing';
import { MockChatModel } from '../test/mock-chat-model';
import { createCascadeAgent } from './create-cascade-agent';

const usage = { inputTokens: 100, outputTokens: 50 };
const llama = () => new MockChatModel({ modelId: 'llama3.2:3b', responses: [{ text: 'local answer', usage }] });
const qwen = () => new MockChatModel({ modelId: 'qwen2.5:32b', responses: [{ text: 'bigger local answer', usage }] });

function configError(run: () => unknown): CascadeError {
  try {
    run();
  } catch (error) {
    if (CascadeError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('self-hosted models', () => {
  it('an unpriced model fails at construction with INVALID_CONFIG showing the prices entry to add', () => {
    const error = configError(() => createCascadeAgent({ models: [llama(), qwen(), new MockChatModel({ modelId: 'gpt-4o' })] }));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toContain('no price for "llama3.2:3b" (tier 0), "qwen2.5:32b" (tier 1)');
    expect(error.message).toContain('createCascadeAgent({ models, prices: { "llama3.2:3b": { inputUsdPerMTok: 0, outputUsdPerMTok: 0 }, "qwen2.5:32b": { inputUsdPerMTok: 0, outputUsdPerMTok: 0 } } })');
    expect(error.message).toMatch(/free self-hosted model/);
    expect(error.details).toEqual({ unpricedModels: ['llama3.2:3b', 'qwen2.5:32b'] });
    // With a pricing of one's own, the message points at it.
    expect(configError(() => createCascadeAgent({ models: [llama()], pricing: createPricing() })).message).toContain('Add it to your createPricing({ prices: { "llama3.2:3b"');
  });

  it('`prices` prices them (free: 0/0) next to the default table', async () => {
    const agent = createCascadeAgent({
      models: [llama(), new MockChatModel({ modelId: 'gpt-4o', responses: [{ text: 'strong', usage }] })],
      prices: { 'llama3.2:3b': { inputUsdPerMTok: 0, outputUsdPerMTok: 0 } },
      learning: false, policy: { qualityTarget: 0 },
    });
    const result = await agent.run('hi');
    expect(result.modelId).toBe('llama3.2:3b');
    expect(result.costUsd).toBe(0);
    expect(result.baselineCostUsd).toBeGreaterThan(0); // gpt-4o from the default table
    expect(configError(() => createCascadeAgent({ models: [llama()], pricing: createPricing(), prices: {} })).message).toMatch(/either pricing or prices/);
    expect(configError(() => createCascadeAgent({ models: [llama()], prices: { 'llama3.2:3b': { inputUsdPerMTok: -1, outputUsdPerMTok: 0 } } })).code).toBe('INVALID_CONFIG');
  });
});

describe('policy.modelAccess: models by place in the cascade', () => {
  const prices = { a: { inputUsdPerMTok: 1, outputUsdPerMTok: 1 }, b: { inputUsdPerMTok: 2, outputUsdPerMTok: 2 }, c: { inputUsdPerMTok: 30, outputUsdPerMTok: 30 } };
  const three = () => ['a', 'b', 'c'].map((modelId) => new MockChatModel({ modelId, responses: [{ text: `answer of ${modelId}`, usage }] }));

  it('all-but-strongest keeps the strongest model out, whatever the models are called', async () => {
    const models = three();
    const agent = createCascadeAgent({ models, prices, learning: false, policy: { qualityTarget: 1, modelAccess: 'all-but-strongest' } });
    const session = await agent.begin('hi');
    expect(session.tiers.map((tier) => tier.model.modelId)).toEqual(['a', 'b']);
    expect(session.routing.skippedModels).toEqual(['c']);
    await session.finish('aborted');
    await agent.run('hi');
    expect(models[2]!.calls).toHaveLength(0);
  });

  it('cheapest allows only the first model; a one-model agent keeps its only model for all-but-strongest', async () => {
    const cheapest = createCascadeAgent({ models: three(), prices, learning: false, policy: { modelAccess: 'cheapest' } });
    expect((await cheapest.run('hi')).modelId).toBe('a');
    const single = createCascadeAgent({ models: [new MockChatModel({ modelId: 'a' })], prices, learning: false, policy: { modelAccess: 'all-but-strongest' } });
    expect((await single.run('hi')).modelId).toBe('a');
  });

  it('composes with allow-lists (both must hold) and only narrows across layers', async () => {
    const agent = createCascadeAgent({ models: three(), prices, learning: false, policy: { modelAccess: 'all-but-strongest' } });
    const refused = await agent.run('hi', { policy: { allowedModels: ['c'] } }).catch((error: unknown) => error);
    expect(CascadeError.isInstance(refused) && refused.code).toBe('MODEL_NOT_ALLOWED');
    expect((refused as CascadeError).message).toContain('by place in the cascade: all-but-strongest');
    // A later layer cannot widen it back.
    expect(mergePolicies({ modelAccess: 'cheapest' }, { modelAccess: 'all' }).modelAccess).toBe('cheapest');
    expect(mergePolicies({ modelAccess: 'all' }, { modelAccess: 'all-but-strongest' }).modelAccess).toBe('all-but-strongest');
    expect(isModelAllowed({ modelAccess: 'all-but-strongest' }, 'c', ['a', 'b', 'c'])).toBe(false);
    expect(isModelAllowed({ modelAccess: 'all-but-strongest' }, 'b', ['a', 'b', 'c'])).toBe(true);
    expect(isModelAllowed({ modelAccess: 'all-but-strongest' }, 'c')).toBe(true); // without the agent's models: ids only
    expect(configError(() => createCascadeAgent({ models: three(), prices, policy: { modelAccess: 'cheap' as 'cheapest' } })).code).toBe('INVALID_CONFIG');
  });
});
