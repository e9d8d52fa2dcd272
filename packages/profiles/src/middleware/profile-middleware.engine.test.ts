import { type QualityValidator, createCascadeAgent, createPricing } from '@cascade/core';
import { MockChatModel } from '@cascade/core/test';
import { describe, expect, it } from 'vitest';
import { createProfileManager } from '../manager/profile-manager';
import { UserProfile } from '../profile/user-profile';
import { createMemoryProfileStore } from '../store/memory-store';
import { createProfileMiddleware } from './profile-middleware';

// The models of the recorded traces: a cheap one FREE may use, a strong one it may not.
const CHEAP = 'mixtral-8x7b-instruct-v0.1';
const STRONG = 'gpt-4-1106-preview';
const usage = { inputTokens: 100, outputTokens: 50 };
const pricing = createPricing({
  includeDefaults: false,
  prices: { [CHEAP]: { inputUsdPerMTok: 0.6, outputUsdPerMTok: 0.6 }, [STRONG]: { inputUsdPerMTok: 10, outputUsdPerMTok: 30 } },
});
/** Rejects drafts containing "BAD", so the cheap draft always asks to escalate. */
const validator: QualityValidator = {
  name: 'test',
  validate: ({ draft, threshold }) => {
    const score = draft.text.includes('BAD') ? 0.1 : 0.99;
    return { score, passed: score >= threshold, signals: [], reason: 'test' };
  },
};

function agentFor(store = createMemoryProfileStore([UserProfile.fromTier('pro', 'pro_user')])) {
  const cheap = new MockChatModel({ modelId: CHEAP, responses: [{ text: 'BAD draft', usage }] });
  const strong = new MockChatModel({ modelId: STRONG, responses: [{ text: 'strong answer', usage }] });
  const manager = createProfileManager({}, { store });
  const agent = createCascadeAgent({ models: [cheap, strong], validator, pricing, complexityRouting: false, middleware: [createProfileMiddleware(manager)] });
  return { agent, cheap, strong };
}

describe('createProfileMiddleware in the cascade engine', () => {
  it('a FREE user never reaches a model the tier does not allow', async () => {
    const { agent, cheap, strong } = agentFor();
    // The cheap draft fails validation and there is no allowed tier to escalate to: the engine may
    // answer with the draft or refuse, but it must never call the strong model.
    const outcome = await agent.run('What is 2 + 2?', { userId: 'free_user' }).then(
      (result) => result.text,
      (error: unknown) => error,
    );
    expect(outcome).toBeDefined();
    expect(cheap.calls).toHaveLength(1);
    expect(strong.calls).toHaveLength(0);
  });

  it('a PRO user escalates to the strong model', async () => {
    const { agent, cheap, strong } = agentFor();
    const result = await agent.run('What is 2 + 2?', { userId: 'pro_user' });
    expect(cheap.calls).toHaveLength(1);
    expect(strong.calls).toHaveLength(1);
    expect(result.text).toBe('strong answer');
  });

  it('FREE works with self-hosted models: all but the strongest, whatever they are called', async () => {
    const local = new MockChatModel({ modelId: 'llama3.2:3b', responses: [{ text: 'BAD local draft', usage }] });
    const mid = new MockChatModel({ modelId: 'qwen2.5:7b', responses: [{ text: 'BAD mid answer', usage }] });
    const big = new MockChatModel({ modelId: 'qwen2.5:72b', responses: [{ text: 'big answer', usage }] });
    const free = { inputUsdPerMTok: 0, outputUsdPerMTok: 0 };
    const manager = createProfileManager({}, { store: createMemoryProfileStore([UserProfile.fromTier('pro', 'pro_user')]) });
    const agent = createCascadeAgent({
      models: [local, mid, big], validator, prices: { 'llama3.2:3b': free, 'qwen2.5:7b': free, 'qwen2.5:72b': free },
      complexityRouting: false, learning: false, middleware: [createProfileMiddleware(manager)],
    });
    const result = await agent.run('What is 2 + 2?', { userId: 'free_user' });
    expect(result.text).toBe('BAD mid answer'); // the strongest tier FREE may use: returned unchecked
    expect(big.calls).toHaveLength(0);
    expect(result.routing.skippedModels).toEqual(['qwen2.5:72b']);
    expect((await agent.run('What is 2 + 2?', { userId: 'pro_user' })).text).toBe('big answer');
    // The profile says the same when given the agent's models.
    const profile = await manager.get('free_user');
    expect(['llama3.2:3b', 'qwen2.5:7b', 'qwen2.5:72b'].map((id) => profile.canUseModel(id, agent.models.map((model) => model.modelId)))).toEqual([true, true, false]);
  });

  it('an explicit allow-list above the tier still decides, by id', async () => {
    const store = createMemoryProfileStore([UserProfile.create({ userId: 'vip', tier: 'free', limits: { allowedModels: [STRONG] } })]);
    const { agent, cheap, strong } = agentFor(store);
    expect((await agent.run('What is 2 + 2?', { userId: 'vip' })).text).toBe('strong answer');
    expect(cheap.calls).toHaveLength(0);
    expect(strong.calls).toHaveLength(1);
  });
});
