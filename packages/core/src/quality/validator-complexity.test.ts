import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type MakeInput, growthRatio, randomText } from '../__fixtures__/growth-ratio';
import type { ChatRequest } from '../model/chat-request';
import { createDefaultValidator } from './default-validator';

// The default validator reads every draft and prompt: its time must grow at most linearly with them.
const CJK = Array.from({ length: 3000 }, (_, index) => String.fromCharCode(0x4e00 + index));
const texts: Record<string, MakeInput<string>> = {
  'one letter': (size, rep) => 'a'.repeat(size + rep),
  'random CJK': (size, rep) => randomText(CJK, size, rep),
  'zero-width characters': (size, rep) => randomText(['\u200b', '\u200c', '\u200d', '\u2060'], size, rep),
  whitespace: (size, rep) => randomText([' ', '\t', '\u00a0'], size, rep),
  newlines: (size, rep) => '\n'.repeat(size + rep),
  'nested brackets': (size, rep) => '('.repeat(size / 2 + rep) + ')'.repeat(size / 2),
  digits: (size, rep) => randomText('0123456789'.split(''), size, rep),
  'arithmetic chains': (size, rep) => randomText(['1', '2', ' + ', ' = ', ' * ', '.', ' '], size, rep),
  'repeated sentences': (size, rep) => `${rep} The answer is 4. `.repeat(Math.ceil(size / 19)).slice(0, size),
  'json-ish': (size, rep) => randomText(['{', '}', '[', ']', '"a"', ':', ',', '1'], size, rep),
  'markdown-ish': (size, rep) => randomText(['#', '*', '-', '`', '\n', 'x', ' ', '|'], size, rep),
};

// n vs 16n (linear: 16, quadratic: 256) with 3x slack: a 4x step drowns in the noise of a loaded 2-core machine here.
const LINEAR = { factor: 16, reps: 5, limit: 48 };
const validator = createDefaultValidator();
const PROMPT: ChatRequest = { messages: [{ role: 'user', content: 'Janet has 16 eggs and eats 3. How many are left? Show the arithmetic.' }] };

describe('default validator: time grows at most linearly with the text', () => {
  for (const [name, make] of Object.entries(texts)) {
    it(`validate() on a draft of ${name}`, () => {
      const run = (text: string) => validator.validate({ request: PROMPT, draft: { text, finishReason: 'stop', usage: { inputTokens: 10, outputTokens: 10, source: 'provider' } }, modelId: 'cheap', threshold: 0.7 });
      expect(growthRatio(make, run, 4_000, LINEAR)).toBeLessThan(LINEAR.limit);
    });

    it(`assessComplexity() and checkPartial() on a prompt of ${name}`, () => {
      const request = (text: string): ChatRequest => ({ messages: [{ role: 'user', content: text }] });
      expect(growthRatio(make, (text) => validator.assessComplexity!(request(text), 3, 0.7), 4_000, LINEAR)).toBeLessThan(LINEAR.limit);
      expect(growthRatio(make, (text) => validator.checkPartial!(PROMPT, text), 4_000, LINEAR)).toBeLessThan(LINEAR.limit);
    });
  }

  it('returns a verdict in [0, 1] for any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'binary' }), fc.string({ maxLength: 200 }), (draft, prompt) => {
        const verdict = validator.validate({
          request: { messages: [{ role: 'user', content: prompt || 'hi' }] },
          draft: { text: draft, finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1, source: 'provider' } },
          modelId: 'cheap',
          threshold: 0.7,
        });
        if (verdict instanceof Promise) throw new Error('the default validator is synchronous');
        expect(verdict.score).toBeGreaterThanOrEqual(0);
        expect(verdict.score).toBeLessThanOrEqual(1);
      }),
      { numRuns: 100 },
    );
  });
});
