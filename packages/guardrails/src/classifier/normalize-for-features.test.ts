import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { growthRatio } from './__fixtures__/cpu-time';
import { visitFeatures } from './hashed-features';
import { normalizeForFeatures } from './normalize-for-features';

describe('normalizeForFeatures', () => {
  it.each([
    ['I will kill you!', 'i will kill you'],
    ['I will kill you!!!', 'i will kill you'],
    ['Hello! World', 'hello world'],
    ['k!ll', 'kill'],
    ['you are an !diot', 'you are an idiot'],
    ['k1ll y0u', 'kill you'],
    ['$hit and a$$', 'shit and ass'],
    ['f*ck', 'fck'],
    ["don't you’re", 'dont youre'],
    ['k i l l  y o u', 'killyou'],
    ['k.i.l.l him', 'kill him'],
    ['soooo baaad', 'soo baad'],
    ['5 kids at 10am, 2024!', '5 kids at 10am 2024'],
    ['ＦＵＬＬ width', 'full width'],
    ['in\u200bvisible', 'invisible'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeForFeatures(input)).toBe(expected);
  });

  it('never glues a word to the next one, whatever the punctuation (the "!" bug class)', () => {
    fc.assert(
      fc.property(fc.constantFrom('!', '|', '!!', '?!', '!1', '.', ',', ':', ')', '$!'), fc.constantFrom('you', 'idiot', 'kill', 'hate'), (mark, word) => {
        expect(normalizeForFeatures(`I ${word}${mark} now`).split(' ')).toContain(word);
      }),
    );
  });
});

describe('feature extraction is linear on adversarial input', () => {
  it('4× the text costs well under 16× the CPU time (n vs 4n ratio, not a wall-clock bound)', () => {
    fc.assert(
      fc.property(fc.constantFrom('!', 'a!', '1', 'k i ', '$', '* ', 'aaaa', "'", '\u200b', 'ab ', 'x'.repeat(50), 'k1', '!a'), (unit) => {
        const small = unit.repeat(Math.ceil(100_000 / unit.length));
        const large = small.repeat(4);
        const work = (text: string) => () => visitFeatures(normalizeForFeatures(text), 0xffff, () => undefined);
        // Linear → about 4; quadratic → about 16. The margin and the re-measuring absorb noise.
        expect(growthRatio(work(small), work(large), 10)).toBeLessThan(10);
      }),
      { numRuns: 13 },
    );
  });
});
