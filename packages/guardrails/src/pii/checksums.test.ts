import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ibanChecksumValid, luhnValid } from './checksums';

/** Reference Luhn from the textbook definition, on an array of digits. */
function referenceLuhn(digits: readonly number[]): boolean {
  const sum = digits
    .slice()
    .reverse()
    .reduce((total, digit, index) => total + (index % 2 === 1 ? [0, 2, 4, 6, 8, 1, 3, 5, 7, 9][digit]! : digit), 0);
  return sum % 10 === 0;
}

/** Reference ISO 13616 check with BigInt. */
function referenceIban(value: string): boolean {
  const compact = value.replace(/ /g, '').toUpperCase();
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  const numeric = [...rearranged].map((char) => (/[A-Z]/.test(char) ? String(char.charCodeAt(0) - 55) : char)).join('');
  return BigInt(numeric) % 97n === 1n;
}

const digit = fc.integer({ min: 0, max: 9 });
const alnum = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');

describe('luhnValid', () => {
  it('agrees with the reference on random digit strings', () => {
    fc.assert(fc.property(fc.array(digit, { minLength: 1, maxLength: 24 }), (digits) => luhnValid(digits.join('')) === referenceLuhn(digits)));
  });

  it('ignores separators', () => {
    fc.assert(fc.property(fc.array(digit, { minLength: 1, maxLength: 19 }), (digits) => luhnValid(digits.join(' ')) === luhnValid(digits.join(''))));
  });

  it('accepts exactly one check digit per prefix', () => {
    fc.assert(
      fc.property(fc.array(digit, { minLength: 11, maxLength: 18 }), (prefix) => {
        const valid = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].filter((check) => luhnValid(prefix.join('') + check));
        return valid.length === 1;
      }),
    );
  });

  it('knows the published test numbers', () => {
    expect(luhnValid('4111 1111 1111 1111')).toBe(true);
    expect(luhnValid('378282246310005')).toBe(true);
    expect(luhnValid('4111 1111 1111 1112')).toBe(false);
    expect(luhnValid('')).toBe(false);
  });
});

describe('ibanChecksumValid', () => {
  it('agrees with a BigInt reference on random strings', () => {
    fc.assert(
      fc.property(fc.constantFrom('GB', 'DE', 'FR', 'NL', 'XK'), fc.array(digit, { minLength: 2, maxLength: 2 }), fc.array(alnum, { minLength: 10, maxLength: 30 }), (country, check, body) => {
        const value = country + check.join('') + body.join('');
        return ibanChecksumValid(value) === referenceIban(value);
      }),
      { numRuns: 500 },
    );
  });

  it('accepts the right check digits computed by the reference and rejects a changed character', () => {
    fc.assert(
      fc.property(fc.array(alnum, { minLength: 14, maxLength: 18 }), fc.integer({ min: 0, max: 13 }), (body, position) => {
        const bban = body.join('');
        const remainder = BigInt([...(bban + 'GB00')].map((char) => (/[A-Z]/.test(char) ? String(char.charCodeAt(0) - 55) : char)).join('')) % 97n;
        const check = String(98n - remainder).padStart(2, '0');
        const iban = `GB${check}${bban}`;
        const original = iban[4 + position]!;
        // Same class (digit for digit, letter for letter): mod 97 catches every such substitution.
        const replacement = /[0-9]/.test(original) ? (original === '7' ? '8' : '7') : original === 'Q' ? 'R' : 'Q';
        const changed = iban.slice(0, 4 + position) + replacement + iban.slice(5 + position);
        return ibanChecksumValid(iban) && !ibanChecksumValid(changed);
      }),
    );
  });

  it('handles spaces and lower case', () => {
    expect(ibanChecksumValid('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(ibanChecksumValid('gb82west12345698765432')).toBe(true);
    expect(ibanChecksumValid('GB83WEST12345698765432')).toBe(false);
    expect(ibanChecksumValid('GB8!')).toBe(false);
  });
});
