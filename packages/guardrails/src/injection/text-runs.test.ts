import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasBinaryByte, hasHexRun, hasRepeatedToken, isRegexSpace } from './text-runs';

const REPEATED = /(\b\w{1,20}\b)(?:[\s,]+\1\b){19}/u;
const BINARY = /\b(?:[01]{8}[\s,]+){6,}[01]{8}\b/;
const HEX = /\b(?:(?:0x)?[0-9a-fA-F]{2}[\s,]?){12,}\b/;

/** Texts made of a few words and separators, often repeated, so the patterns' edge cases come up. */
const tokens = (pieces: readonly string[]): fc.Arbitrary<string> =>
  fc.array(fc.oneof(fc.constantFrom(...pieces), fc.tuple(fc.constantFrom(...pieces), fc.integer({ min: 15, max: 24 })).map(([piece, times]) => piece.repeat(times))), { maxLength: 30 }).map((parts) => parts.join(''));

describe('isRegexSpace', () => {
  it('is \\s of a JavaScript regex for every UTF-16 unit', () => {
    for (let code = 0; code < 0x10000; code++) expect(isRegexSpace(code), code.toString(16)).toBe(/\s/.test(String.fromCharCode(code)));
  });
});

describe('hasRepeatedToken', () => {
  it('answers as the regex it replaces', () => {
    fc.assert(
      fc.property(tokens(['ab ', 'ab,', 'ab, ', 'a ', 'ab', 'b ', '.', 'ab\u00a0', 'ab\n', 'é', 'abababababababababababab ', '_ ', '1 ', 'x']), (text) => {
        expect(hasRepeatedToken(text)).toBe(REPEATED.test(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('finds 20 repeats and not 19', () => {
    expect(hasRepeatedToken('poem '.repeat(20))).toBe(true);
    expect(hasRepeatedToken('poem, '.repeat(19))).toBe(false);
    expect(hasRepeatedToken('poem. '.repeat(30))).toBe(false);
  });
});

describe('hasHexRun', () => {
  it('holds whenever the hex-byte pattern matches', () => {
    fc.assert(
      fc.property(tokens(['de ', 'ad', '0x', '0x4a,', 'be', 'ef', ', ', 'g', ' ', '12', '4', 'z ', 'x']), (text) => {
        if (HEX.test(text)) expect(hasHexRun(text, 24)).toBe(true);
      }),
      { numRuns: 3000 },
    );
    expect(hasHexRun('69 67 6e 6f 72 65 20 61 6c 6c 20 70', 24)).toBe(true);
    expect(hasHexRun('what is the capital of france?', 24)).toBe(false);
  });
});

describe('hasBinaryByte', () => {
  it('holds whenever the binary-bytes pattern matches', () => {
    fc.assert(
      fc.property(tokens(['01100001 ', '0110000', '1', '0', ' ', ',', 'a', '01010101,']), (text) => {
        if (BINARY.test(text)) expect(hasBinaryByte(text)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    expect(hasBinaryByte('the answer is 10110')).toBe(false);
  });
});
