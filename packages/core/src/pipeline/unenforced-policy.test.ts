import { describe, expect, it } from 'vitest';
import { createCascadeAgent } from '../engine/create-cascade-agent';
import { CascadeError } from '../errors/cascade-error';
import { createPricing } from '../pricing/pricing';
import { MockChatModel } from '../test/mock-chat-model';
import type { CascadeMiddleware } from './middleware';

const pricing = createPricing({ prices: { cheap: { inputUsdPerMTok: 0.1, outputUsdPerMTok: 0.4 }, strong: { inputUsdPerMTok: 1, outputUsdPerMTok: 4 } } });
const models = () => [new MockChatModel({ modelId: 'cheap', responses: [{ text: 'The answer is 391.' }] }), new MockChatModel({ modelId: 'strong', responses: [{ text: 'The answer is 391.' }] })];
const limits = { user: { rate: { requestsPerMinute: 1 } } };

function errorOf(action: () => unknown): CascadeError {
  try {
    action();
  } catch (error) {
    if (CascadeError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a CascadeError');
}

describe('a policy section no middleware enforces', () => {
  it('is an INVALID_CONFIG error at construction that names the middleware to add', () => {
    const error = errorOf(() => createCascadeAgent({ models: models(), pricing, policy: { limits } }));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toMatch(/policy\.limits .*createLimitsMiddleware\(\) from @cascade\/limits/);
    const guarded = errorOf(() => createCascadeAgent({ models: models(), pricing, policy: { guardrails: { pii: { enabled: true } } } }));
    expect(guarded.message).toMatch(/createGuardrailsMiddleware\(\) from @cascade\/guardrails/);
  });

  it('is accepted when a middleware declares it enforces the section, or when the section asks for nothing', () => {
    const enforcer: CascadeMiddleware = { name: 'mine', enforces: ['limits'], admit: () => ({ allowed: true }) };
    expect(() => createCascadeAgent({ models: models(), pricing, policy: { limits }, middleware: [enforcer] })).not.toThrow();
    expect(() => createCascadeAgent({ models: models(), pricing, policy: { limits: { mode: 'warn' }, guardrails: { pii: { enabled: false } } } })).not.toThrow();
  });

  it('warns on every result when a resolver or a run option brings it in', async () => {
    const resolver: CascadeMiddleware = { name: 'profiles', resolve: () => ({ policy: { limits } }) };
    const agent = createCascadeAgent({ models: models(), pricing, middleware: [resolver] });
    for (let index = 0; index < 2; index++) {
      const result = await agent.run('What is 17 * 23?');
      expect(result.warnings.join(' ')).toMatch(/policy\.limits is set but no middleware enforces it/);
    }
    const plain = createCascadeAgent({ models: models(), pricing });
    const result = await plain.run('What is 17 * 23?', { policy: { guardrails: { injection: { enabled: true } } } });
    expect(result.warnings.join(' ')).toMatch(/policy\.guardrails is set/);
  });
});
