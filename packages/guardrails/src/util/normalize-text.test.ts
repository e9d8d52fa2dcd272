import { CascadeError } from '@cascade/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeForMatching } from './normalize-text';

const LEET: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i', '|': 'l', '€': 'e' };
const INVISIBLE = /[\u00AD\u061C\u115F\u1160\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]|\u034F|\u17B4|\u17B5|\uFE00|\uFE01|\uFE02|\uFE03|\uFE04|\uFE05|\uFE06|\uFE07|\uFE08|\uFE09|\uFE0A|\uFE0B|\uFE0C|\uFE0D|\uFE0E|\uFE0F|\uDB40[\uDC00-\uDCFF]/g;

/** The regex form (quadratic on long symbol runs, fine on short strings): the reference. A word-final "!" or "|" is punctuation. */
function reference(text: string): string {
  let value = text.normalize('NFKC').toLowerCase().replace(INVISIBLE, '');
  value = value.replace(/[013457@$!|€]+(?=\p{L})|(?<=\p{L})[013457@$€]+/gu, (symbols) => {
    let out = '';
    for (const symbol of symbols) out += LEET[symbol] ?? symbol;
    return out;
  });
  value = value.replace(/(?<![\p{L}])\p{L}(?:[ ._-]\p{L}(?![\p{L}])){2,}/gu, (run) => run.replace(/[ ._-]/g, ''));
  return value.replace(/(\p{L})\1{2,}/gu, '$1$1').replace(/[ \t]{2,}/g, ' ');
}

const piece = fc.constantFrom('a', 'k', 'Z', 'é', 'и', '中', '𝒜', '𐐷', '0', '1', '3', '4', '5', '7', '@', '$', '!', '|', '€', ' ', '.', '-', '_', '\n', '\u200B', '9', '2', '#');

describe('normalizeForMatching', () => {
  it('replaces leetspeak exactly like the previous regex, on any mix of letters, symbols and spaces', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        expect(normalizeForMatching(text)).toBe(reference(text));
      }),
      { numRuns: 2_000 },
    );
  });

  it('keeps the documented cases', () => {
    expect(normalizeForMatching('k1ll y0u')).toBe('kill you');
    expect(normalizeForMatching('5 kids')).toBe('5 kids');
    expect(normalizeForMatching('h3!!0')).toBe('he!!0');
    expect(normalizeForMatching('I will kill you!')).toBe('i will kill you!');
    expect(normalizeForMatching('!diot a$$')).toBe('idiot ass');
    expect(normalizeForMatching('!!!! 0000')).toBe('!!!! 0000');
    expect(normalizeForMatching('𝒜1')).toBe(reference('𝒜1'));
  });

  it('throws INVALID_INPUT naming what to pass for a non-string', () => {
    for (const value of [null, undefined, 42, { text: 'x' }]) {
      const error = (() => {
        try {
          normalizeForMatching(value as never);
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(CascadeError.isInstance(error) && error.code === 'INVALID_INPUT' && /as a string/.test(error.message)).toBe(true);
    }
  });
});
