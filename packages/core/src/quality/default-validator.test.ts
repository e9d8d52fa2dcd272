import { describe, expect, it } from 'vitest';
import { CascadeError } from '../errors/cascade-error';
import type { ChatRequest } from '../model/chat-request';
import type { ChatResult, FinishReason, TokenLogprob } from '../model/chat-result';
import { createDefaultValidator } from './default-validator';
import type { QualityVerdict } from './quality-validator';

const validator = createDefaultValidator();

function draft(text: string, finishReason: FinishReason = 'stop', logprobs?: TokenLogprob[]): ChatResult {
  return { text, finishReason, usage: { inputTokens: 10, outputTokens: 10, source: 'provider' }, ...(logprobs ? { logprobs } : {}) };
}

function judge(prompt: string | ChatRequest, text: string, threshold = 0.7, finishReason: FinishReason = 'stop', logprobs?: TokenLogprob[]): QualityVerdict {
  const request = typeof prompt === 'string' ? { messages: [{ role: 'user' as const, content: prompt }] } : prompt;
  return validator.validate({ request, draft: draft(text, finishReason, logprobs), modelId: 'cheap', threshold }) as QualityVerdict;
}

const names = (verdict: QualityVerdict): string[] => verdict.signals.map((signal) => signal.name);
const CHAT = 'What are good habits for remote teams?';
const GOOD_CHAT = 'Agree on core hours, write decisions down, and keep meetings short with a clear agenda. Review the habits every quarter.';
const MATH = 'A shop sells pens at $3 each. Mia buys 4 pens and pays with a $20 bill. How much change does she get?';

describe('createDefaultValidator', () => {
  it('passes a clean answer and fails fatal finishes, emptiness and cut-off text', () => {
    expect(judge(CHAT, GOOD_CHAT).passed).toBe(true);
    expect(judge(CHAT, '   ').signals[0]).toMatchObject({ name: 'empty', fatal: true });
    expect(judge(CHAT, GOOD_CHAT, 0.7, 'length')).toMatchObject({ passed: false, reason: expect.stringContaining('truncated') });
    expect(judge(CHAT, GOOD_CHAT, 0.7, 'content-filter').passed).toBe(false);
    expect(judge(MATH, 'She pays 4 * $3 = $<<4*3').passed).toBe(false);
    expect(judge(CHAT, 'Here is the code:\n```js\nconst a = 1;').passed).toBe(false);
  });

  it('fails refusals and doubt, not confident answers', () => {
    expect(names(judge(CHAT, "I'm sorry, but I can't help with that request."))).toContain('refusal');
    expect(judge(CHAT, "I'm sorry, but I can't help with that request.").score).toBeLessThan(0.05);
    const doubtful = judge(CHAT, `${GOOD_CHAT} I'm not sure, and I don't know if this is right.`);
    expect(names(doubtful)).toContain('hedging');
    expect(doubtful.score).toBeLessThan(judge(CHAT, GOOD_CHAT).score);
  });

  it('fails worked solutions with wrong arithmetic or no final answer, passes correct ones', () => {
    const right = judge(MATH, '4 pens cost 4 * $3 = $12.\nThe change is $20 - $12 = $8.\n#### 8');
    expect(right.passed).toBe(true);
    expect(names(right)).toContain('verified');
    const wrong = judge(MATH, '4 pens cost 4 * $3 = $12.\nThe change is $20 - $12 = $9.\n#### 9');
    expect(wrong.passed).toBe(false);
    expect(wrong.signals.find((signal) => signal.name === 'arithmetic')?.detail).toContain('20 - $12 = $9');
    expect(names(judge(MATH, 'She should count the money she gets back carefully.'))).toContain('final-answer');
    expect(names(judge(MATH, '4 pens cost 4 * $3 = $12.\nThe change is $20 - $12 = $8.\n#### 12'))).toContain('final-answer');
  });

  it('scores monotonically: a higher target never passes what a lower one failed', () => {
    const drafts = [GOOD_CHAT, '4 * $3 = $12, $20 - $12 = $9. #### 9', "I'm not sure. Maybe 8?", '4 * $3 = $12. #### 12'];
    for (const text of drafts) {
      const scores = new Set<number>();
      let passedBefore = true;
      for (let threshold = 0; threshold <= 1; threshold += 0.05) {
        const verdict = judge(MATH, text, threshold);
        scores.add(verdict.score);
        expect(verdict.passed).toBe(verdict.score >= threshold);
        if (!passedBefore) expect(verdict.passed).toBe(false);
        passedBefore = verdict.passed;
      }
      expect(scores.size).toBe(1); // the score does not depend on the target
    }
  });

  it('treats a closing what/how question over given numbers as quantitative, not a request that merely holds numbers', () => {
    const floor = 'Lena lives on floor 3 of a 12-floor building. She rides the lift up 5 floors to visit a friend. What floor is her friend on?';
    expect(names(judge(floor, 'She starts on floor 3 and goes up 5, so 3 + 5 = 8.\n#### 8'))).toContain('difficulty');
    expect(names(judge('I have 2 cats and 3 dogs. Suggest playful names for them.', 'Try Pixel and Mochi for the cats, and Biscuit, Scout and Juno for the dogs.'))).not.toContain('difficulty');
  });

  it('penalizes a final answer that quietly alters the computed result', () => {
    const share = '3 friends share 7 pizzas equally. How much pizza does each friend get?';
    const altered = judge(share, 'Each gets 7 / 3 = 2.33 pizzas.\n#### 2');
    expect(altered.signals.find((signal) => signal.detail?.includes('alters the computed'))).toBeDefined();
    expect(judge(share, 'Each gets 7 / 3 = 2.33 pizzas.\n#### 2.33').signals.some((signal) => signal.detail?.includes('alters the computed'))).toBe(false);
    const right = judge(MATH, '4 pens cost 4 * $3 = $12.\nThe change is $20 - $12 = $8.\n#### 8');
    expect(right.signals.some((signal) => signal.detail?.includes('alters the computed'))).toBe(false);
  });

  it('penalizes a final answer more precise than every number of the question', () => {
    const rope = 'A rope 10 m long is cut into 3 equal pieces. How long is each piece in meters?';
    expect(judge(rope, 'Each piece is 10 / 3 = 3.333 m long.\n#### 3.333').signals.some((signal) => signal.detail?.includes('more precise'))).toBe(true);
    const apples = 'Apples cost $1.25 each. How much do 3 apples cost in dollars?';
    const priced = judge(apples, 'Three apples cost 3 * $1.25 = $3.75.\n#### 3.75');
    expect(priced.signals.some((signal) => signal.detail?.includes('more precise'))).toBe(false);
    expect(priced.passed).toBe(true);
  });

  it('penalizes rounding to a whole number the question never asked for', () => {
    const text = 'Each gets 25 / 2 = 12.5 dollars, but since you cannot have a half dollar, we round down to 12.\n#### 12';
    expect(names(judge('Sam splits 25 dollars between 2 friends. How much does each friend get?', text))).toContain('coercion');
    expect(names(judge('Sam splits 25 dollars between 2 friends. How much does each friend get, rounded down to whole dollars?', text))).not.toContain('coercion');
    expect(names(judge(MATH, '4 pens cost 4 * $3 = $12.\nThe change is $20 - $12 = $8.\n#### 8'))).not.toContain('coercion');
  });

  it('checks JSON when required by responseFormat or asked in the prompt', () => {
    const required: ChatRequest = { messages: [{ role: 'user', content: 'List two colors.' }], responseFormat: { type: 'json_object' } };
    expect(judge(required, '{"colors": ["red", "blue"]}').passed).toBe(true);
    expect(judge(required, 'Here you go: {"colors": ["red", "blue"]}')).toMatchObject({ passed: false });
    expect(judge(required, '{"colors": ["red", "blue"]').signals[0]).toMatchObject({ name: 'json', fatal: true });
    expect(judge(required, '["red", "blue"]').passed).toBe(false);
    const schema: ChatRequest = {
      messages: [{ role: 'user', content: 'Describe a user.' }],
      responseFormat: { type: 'json_schema', json_schema: { name: 'user', schema: { type: 'object', required: ['name', 'age'] } } },
    };
    expect(judge(schema, '{"name": "Ada", "age": 36}').passed).toBe(true);
    expect(judge(schema, '{"name": "Ada"}').reason).toContain('age');
    const prompted = 'Return the two largest cities of France as JSON.';
    expect(judge(prompted, 'Sure:\n```json\n{"cities": ["Paris", "Marseille"]}\n```').passed).toBe(true);
    expect(judge(prompted, 'Paris and Marseille are the largest.').passed).toBe(false);
  });

  it('flags repetition loops, language mismatch and ignored length requests', () => {
    const loop = `${GOOD_CHAT}\n${'The answer is that we should keep going forward.\n'.repeat(12)}`;
    expect(names(judge(CHAT, loop))).toContain('repetition');
    expect(judge(CHAT, loop).passed).toBe(false);
    const varied = Array.from({ length: 12 }, (_, index) => `Step ${index + 1}: do thing number ${index + 1} before lunch.`).join('\n');
    expect(names(judge(CHAT, varied))).not.toContain('repetition');
    const mismatch = judge('Explain in a few sentences why the sky is blue during the day.', 'Небо голубое, потому что молекулы воздуха рассеивают синий свет сильнее, чем красный.');
    expect(names(mismatch)).toContain('language');
    expect(mismatch.passed).toBe(false);
    expect(names(judge('Translate into Russian: the sky is blue because air scatters blue light.', 'Небо голубое, потому что воздух рассеивает синий свет.'))).not.toContain('language');
    const short = 'Describe the ocean in under 20 words.';
    expect(judge(short, 'Vast, blue, restless and deep, it covers most of our planet.').passed).toBe(true);
    expect(names(judge(short, `${'The ocean is wide and deep and full of life. '.repeat(8)}It is blue.`))).toContain('format');
  });

  it('uses logprob confidence when present', () => {
    const confident = Array.from({ length: 20 }, () => ({ token: 'a', logprob: -0.02 }));
    const unsure = Array.from({ length: 20 }, () => ({ token: 'a', logprob: -2.5 }));
    const high = judge(CHAT, GOOD_CHAT, 0.7, 'stop', confident);
    const low = judge(CHAT, GOOD_CHAT, 0.7, 'stop', unsure);
    expect(names(high)).toContain('logprob-confidence');
    expect(high.score).toBeGreaterThan(judge(CHAT, GOOD_CHAT).score);
    expect(low.passed).toBe(false);
  });

  it('assesses complexity from the query alone and routes more at a higher target', () => {
    const hard = { messages: [{ role: 'user' as const, content: 'Prove that the algorithm runs in O(n) time complexity and derive its space complexity. Why? How? What if the input is sorted?' }] };
    const easy = { messages: [{ role: 'user' as const, content: 'What is the capital of France?' }] };
    expect(validator.assessComplexity!(easy, 2, 0.7)).toMatchObject({ startTier: 0 });
    const verdict = validator.assessComplexity!(hard, 3, 0.7);
    expect(verdict.score).toBeGreaterThan(0.5);
    expect(validator.assessComplexity!(hard, 3, 0.95).startTier).toBeGreaterThanOrEqual(verdict.startTier);
    expect(validator.assessComplexity!(hard, 1, 0.99).startTier).toBe(0);
  });

  it('checks partial drafts on complete lines only', () => {
    const request = { messages: [{ role: 'user' as const, content: MATH }] };
    expect(validator.checkPartial!(request, "I'm sorry, but I can't help")).toMatchObject({ failing: true });
    expect(validator.checkPartial!(request, '4 pens cost 4 * $3 = $1').failing).toBe(false); // "$12" may still come
    expect(validator.checkPartial!(request, '4 pens cost 4 * $3 = $11.\nSo').failing).toBe(true);
    expect(validator.checkPartial!(request, '4 pens cost 4 * $3 = $12.\nSo').failing).toBe(false);
  });

  it('rejects a bad config with INVALID_CONFIG naming the field', () => {
    try {
      createDefaultValidator({ prior: 'high' as unknown as number });
      expect.unreachable();
    } catch (error) {
      expect(CascadeError.isInstance(error) && error.code).toBe('INVALID_CONFIG');
      expect((error as Error).message).toContain('prior');
    }
    expect(judge(MATH, '4 * $3 = $12. $20 - $12 = $9. #### 9').passed).toBe(false);
    const lenient = createDefaultValidator({ arithmetic: false });
    const verdict = lenient.validate({ request: { messages: [{ role: 'user', content: CHAT }] }, draft: draft('2 + 2 = 5. Done.'), modelId: 'cheap', threshold: 0.7 }) as QualityVerdict;
    expect(names(verdict)).not.toContain('arithmetic');
  });
});
