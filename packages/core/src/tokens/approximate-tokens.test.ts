import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { approximateTokens } from './approximate-tokens';
import { countMessageTokens, countTokens } from './count-tokens';
import { hasExactTokenizer, loadBpe, setBpeForTesting } from './load-bpe';
import { truncateToTokens } from './truncate-to-tokens';

const AS_TEXT = { disallowedSpecial: new Set<string>() };
const wordArb = fc.constantFrom('the', 'The', 'QUICK', 'fox', "don't", '42', '1234567', 'naïve', 'привет', '中文', '(x)', '...', ',', '.', 'https://example.com/a');
const textArb = fc.array(fc.tuple(wordArb, fc.constantFrom(' ', ' ', '\n', '')), { minLength: 5, maxLength: 120 }).map((parts) => parts.map(([word, gap]) => word + gap).join(''));

afterEach(() => setBpeForTesting(undefined));

describe('approximateTokens (no tokenizer installed)', () => {
  it('stays within 0.6–2.5× of o200k on ordinary text', () => {
    const bpe = loadBpe();
    if (bpe === undefined) throw new Error('gpt-tokenizer is a dev dependency of core: it must load here');
    fc.assert(fc.property(textArb, (text) => {
      const exact = bpe.countTokens(text, AS_TEXT);
      const approx = approximateTokens(text);
      expect(approx).toBeGreaterThanOrEqual(Math.floor(exact * 0.6));
      expect(approx).toBeLessThanOrEqual(Math.ceil(exact * 2.5) + 2);
    }), { numRuns: 200 });
    expect(approximateTokens('Hello, world!')).toBe(6);
    expect(approximateTokens('')).toBe(0);
  });

  it('is what countTokens and truncateToTokens use when gpt-tokenizer is missing', () => {
    setBpeForTesting(null);
    expect(hasExactTokenizer()).toBe(false);
    const text = 'The answer is 391, as shown above in the worked example.';
    expect(countTokens(text)).toBe(approximateTokens(text));
    expect(countMessageTokens([{ role: 'user', content: text }])).toBe(approximateTokens(text) + 6);
    const cut = truncateToTokens(text, 4);
    expect(cut.truncated).toBe(true);
    expect(cut.tokens).toBeLessThanOrEqual(4);
    expect(text.startsWith(cut.text)).toBe(true);
    expect(truncateToTokens(text, 1000)).toEqual({ text, tokens: approximateTokens(text), truncated: false });
  });

  it('loads the real tokenizer on demand when it is installed', () => {
    expect(hasExactTokenizer()).toBe(true);
    expect(countTokens('Hello, world!')).toBe(4);
  });
});
