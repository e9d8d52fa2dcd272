import { describe, expect, it } from 'vitest';
import { type MakeInput, growthRatio, randomText } from '../__fixtures__/growth-ratio';
import type { ChatRequest } from '../model/chat-request';
import type { AdmitResult, PipelineContext } from '../pipeline/middleware';
import { MockChatModel } from '../test/mock-chat-model';
import { countMessageTokens } from '../tokens/count-tokens';
import { loadBpe } from '../tokens/load-bpe';
import { createCascadeAgent } from './create-cascade-agent';
import { planTiers } from './plan-tiers';
import { tierPricing } from './__fixtures__/tier-pricing';

const CJK = Array.from({ length: 3000 }, (_, index) => String.fromCharCode(0x4e00 + index));
const bodies: Record<string, MakeInput<ChatRequest>> = {
  'one CJK character': (size, rep) => ({ messages: [{ role: 'user', content: '中'.repeat(size + rep) }] }),
  'random CJK': (size, rep) => ({ messages: [{ role: 'user', content: randomText(CJK, size, rep) }] }),
  'zero-width': (size, rep) => ({ messages: [{ role: 'user', content: '\u200b'.repeat(size + rep) }] }),
  'one letter': (size, rep) => ({ messages: [{ role: 'user', content: 'a'.repeat(size + rep) }] }),
};

describe('pre-flight estimate (planTiers, before any admitter)', () => {
  const models = [new MockChatModel({ modelId: 'cheap' }), new MockChatModel({ modelId: 'strong' })];
  const pricing = tierPricing;

  for (const [name, make] of Object.entries(bodies)) {
    it(`costs about the same for a 100 KB body of ${name} as for 25 KB`, () => {
      // Before the fix the whole body went through BPE here: 32 k of 中 took 4 s before limits ran.
      expect(growthRatio(make, (request) => planTiers(models, {}, pricing, request), 25_000)).toBeLessThan(12);
    });
  }

  it('gives admitters a conservative token estimate: never below the real count', async () => {
    const seen: number[] = [];
    const deny = { name: 'deny', admit: (context: PipelineContext): AdmitResult => {
      seen.push(context.estimate.inputTokens);
      return { allowed: false, code: 'RATE_LIMITED', reason: 'at its limit' };
    } };
    const agent = createCascadeAgent({ models, pricing, middleware: [deny] });
    const small = 'What is 17 * 23?';
    const large = 'Here is a long log line with words and numbers 12 34. '.repeat(2_000);
    for (const prompt of [small, large]) await expect(agent.run(prompt)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(seen[0]).toBeGreaterThanOrEqual(countMessageTokens([{ role: 'user', content: small }]));
    // countMessageTokens bounds text past 64 K chars by its UTF-8 length; compare with the tokenizer itself.
    expect(seen[1]).toBeGreaterThanOrEqual(loadBpe()!.countTokens(large, { disallowedSpecial: new Set() }) + 6);
  });
});
