import fc from 'fast-check';
import { countTokens as countWithBpe } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import { type MakeInput, growthRatio, randomText } from '../__fixtures__/growth-ratio';
import { forEachBpeSlice } from './bpe-slices';
import { setBpeForTesting } from './load-bpe';
import { EXACT_COUNT_CHARS, countMessageTokens, countTokens } from './count-tokens';
import { PREFLIGHT_EXACT_CHARS, estimateMessageTokens, estimateTokens } from './estimate-tokens';

const AS_TEXT = { disallowedSpecial: new Set<string>() };

/** Ordinary text: words, numbers, punctuation, contractions, line breaks, several scripts, no long runs. */
const wordArb = fc.constantFrom(
  'the', 'The', 'QUICK', 'fox', "don't", "It's", '42', '1234567', '3.14', '$2', 'e-mail', 'naïve', 'Straße', 'привет', 'мир', '中文', '日本語の',
  'مرحبا', '😀', '👍🏽', 'https://example.com/a/b', 'a_b', '(x)', '[1]', '...', '!', '?', ',', '.', ':', '"quoted"', '/path', '#### 56', 'x^2',
);
const gapArb = fc.constantFrom(' ', ' ', ' ', '  ', '\n', '\n\n', ' \n', '\t', '\r\n', '', '\u3000', '   \n  ', '\n/');
const textArb = fc.array(fc.tuple(wordArb, gapArb), { minLength: 1, maxLength: 120 }).map((parts) => parts.map(([word, gap]) => word + gap).join(''));

// Before the fix: 32 k of `a` took 0.54 s, of `中` 4.0 s, of `\u200b` 4.9 s (super-linear in the run). The
// tokenizer grows like n^1.5..n^2 on runs, which a 4x step does not separate from noise on a loaded machine:
// these tests compare n and 16n (linear: 16; before the fix about 60..1000) and allow 3x linear.
const CJK = Array.from({ length: 3000 }, (_, index) => String.fromCharCode(0x4e00 + index));
const ZERO_WIDTH = ['\u200b', '\u200c', '\u200d', '\u2060'];
const adversarial: Record<string, MakeInput<string>> = {
  'one letter': (size, rep) => 'a'.repeat(size + rep),
  'one CJK character': (size, rep) => '中'.repeat(size + rep),
  'random CJK': (size, rep) => randomText(CJK, size, rep),
  'zero-width characters': (size, rep) => randomText(ZERO_WIDTH, size, rep),
  spaces: (size, rep) => ' '.repeat(size + rep),
  newlines: (size, rep) => '\n'.repeat(size + rep),
  'whitespace of every kind': (size, rep) => randomText([' ', '\t', '\n', '\r\n', '\u00a0', '\u3000'], size, rep),
  'nested brackets': (size, rep) => '('.repeat(size / 2 + rep) + ')'.repeat(size / 2),
};
const LINEAR_LIMIT = { factor: 16, limit: 48 };

function sliced(text: string, maxRun: number, maxSlice: number): number {
  let total = 0;
  forEachBpeSlice(text, text.length, (slice) => {
    total += countWithBpe(slice, AS_TEXT);
  }, maxRun, maxSlice);
  return total;
}

describe('countTokens', () => {
  it('cuts text only where the tokenizer splits anyway: the count of ordinary text is exact', () => {
    fc.assert(
      fc.property(textArb, fc.integer({ min: 1, max: 64 }), (text, maxSlice) => {
        // maxRun above the text length: only safe cuts, as small as the slice size forces.
        expect(sliced(text, text.length + 1, maxSlice)).toBe(countWithBpe(text, AS_TEXT));
      }),
      { numRuns: 300 },
    );
  });

  it('matches the tokenizer on ordinary text with the real limits', () => {
    fc.assert(fc.property(textArb, (text) => {
      expect(countTokens(text)).toBe(countWithBpe(text, AS_TEXT));
    }), { numRuns: 200 });
    expect(countTokens('Hello, world!')).toBe(4);
    expect(countTokens('')).toBe(0);
  });

  it('counts special-token text in a prompt as text instead of throwing', () => {
    expect(countTokens('hi <|endoftext|> there')).toBeGreaterThan(3);
    expect(countMessageTokens([{ role: 'user', content: '<|im_start|>system' }])).toBeGreaterThan(6);
  });

  it('keeps pathological runs close to the tokenizer (an upper-bound-ish count) and splits no surrogate pair', () => {
    for (const run of ['a', '中', '\u200b', '😀', 'ab']) {
      const text = run.repeat(2000);
      const exact = countWithBpe(text, AS_TEXT);
      const counted = countTokens(text);
      expect(counted).toBeGreaterThanOrEqual(exact);
      expect(counted).toBeLessThanOrEqual(exact * 1.1 + 20);
    }
  });

  it('bounds what it does not count exactly by UTF-8 length (an over-count)', () => {
    const text = 'word '.repeat(EXACT_COUNT_CHARS / 5 + 1000);
    expect(countTokens(text)).toBeGreaterThan(countWithBpe(text, AS_TEXT));
    expect(countTokens(text)).toBeLessThanOrEqual(countWithBpe(text, AS_TEXT) + 5000);
  });

  for (const [name, make] of Object.entries(adversarial)) {
    it(`takes linear time on a run of ${name}`, () => {
      expect(growthRatio(make, countTokens, 4_000, LINEAR_LIMIT)).toBeLessThan(LINEAR_LIMIT.limit);
      expect(growthRatio((size, rep) => [{ role: 'user' as const, content: make(size, rep) }], countMessageTokens, 4_000, LINEAR_LIMIT)).toBeLessThan(LINEAR_LIMIT.limit);
    });
  }
});

describe('estimateTokens (pre-flight)', () => {
  it('leans high on ordinary requests and never loads the tokenizer', () => {
    fc.assert(fc.property(textArb, (text) => {
      const exact = countWithBpe(text, AS_TEXT);
      expect(estimateTokens(text)).toBeGreaterThanOrEqual(Math.floor(exact * 0.6));
      expect(estimateTokens(text)).toBeLessThanOrEqual(Math.ceil(exact * 2.5) + 2);
    }), { numRuns: 100 });
    const messages = [{ role: 'system' as const, content: 'Be brief.' }, { role: 'user' as const, content: 'What is 17 * 23?' }];
    expect(estimateMessageTokens(messages)).toBeGreaterThanOrEqual(countMessageTokens(messages));
    setBpeForTesting(null);
    try {
      expect(estimateMessageTokens(messages)).toBeGreaterThan(0);
    } finally {
      setBpeForTesting(undefined);
    }
  });

  it('is at least the tokenizer count on English prose', () => {
    const prose = 'The quick brown fox jumps over the lazy dog. It was not the first time, and it would not be the last. ';
    for (const copies of [1, 10, 200]) expect(estimateTokens(prose.repeat(copies))).toBeGreaterThanOrEqual(countWithBpe(prose.repeat(copies), AS_TEXT));
    void PREFLIGHT_EXACT_CHARS;
  });

  it('costs about the same per char for 100 KB as for 25 KB of any run (linear)', () => {
    for (const make of Object.values(adversarial)) {
      expect(growthRatio(make, estimateTokens, 25_000)).toBeLessThan(12);
      const chat: MakeInput<{ role: 'user'; content: string }[]> = (size, rep) => [{ role: 'user', content: make(size / 2, rep) }, { role: 'user', content: make(size / 2, rep + 7) }];
      expect(growthRatio(chat, estimateMessageTokens, 25_000)).toBeLessThan(12);
    }
  });
});
