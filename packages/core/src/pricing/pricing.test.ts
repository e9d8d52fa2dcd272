import { describe, expect, it } from 'vitest';
import { CascadeError } from '../errors/cascade-error';
import { createPricing } from './pricing';

describe('createPricing', () => {
  it('prices usage from the default table', () => {
    const pricing = createPricing();
    expect(pricing.costOf('gpt-4o-mini', { inputTokens: 1_000_000, outputTokens: 1_000_000, source: 'provider' })).toBeCloseTo(0.75);
  });

  it('lets user prices win and resolves prefixed and dated ids', () => {
    const pricing = createPricing({ prices: { 'gpt-4o-mini': { inputUsdPerMTok: 1, outputUsdPerMTok: 2 } } });
    expect(pricing.priceOf('openai/gpt-4o-mini-2024-07-18')).toEqual({ inputUsdPerMTok: 1, outputUsdPerMTok: 2 });
  });

  it('charges cached input at the cached price and applies the batch multiplier', () => {
    const pricing = createPricing({ includeDefaults: false, prices: { m: { inputUsdPerMTok: 10, outputUsdPerMTok: 0, cachedInputUsdPerMTok: 1 } } });
    const usage = { inputTokens: 1_000_000, cachedInputTokens: 500_000, outputTokens: 0, source: 'provider' as const };
    expect(pricing.costOf('m', usage)).toBeCloseTo(5.5);
    expect(pricing.costOf('m', usage, { batch: true })).toBeCloseTo(2.75);
  });

  it('estimates conservatively with max output tokens', () => {
    const pricing = createPricing({ includeDefaults: false, prices: { m: { inputUsdPerMTok: 1, outputUsdPerMTok: 1 } } });
    const estimate = pricing.estimate('m', { messages: [{ role: 'user', content: 'hello world' }], maxOutputTokens: 100 });
    expect(estimate.maxOutputTokens).toBe(100);
    expect(estimate.inputTokens).toBeGreaterThanOrEqual(2);
    expect(estimate.costUsd).toBeCloseTo((estimate.inputTokens + 100) / 1_000_000);
  });

  it('throws INVALID_CONFIG naming the unknown model and the fix', () => {
    const pricing = createPricing();
    try {
      pricing.costOf('no-such-model', { inputTokens: 1, outputTokens: 1, source: 'provider' });
      expect.unreachable();
    } catch (error) {
      expect(CascadeError.isInstance(error) && error.code).toBe('INVALID_CONFIG');
      expect((error as Error).message).toContain('no-such-model');
    }
  });

  it('rejects a bad price table with the field named', () => {
    expect(() => createPricing({ prices: { m: { inputUsdPerMTok: -1, outputUsdPerMTok: 1 } } })).toThrow(/inputUsdPerMTok/);
  });
});
