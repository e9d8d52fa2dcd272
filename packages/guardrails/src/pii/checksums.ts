import { requireText } from '../util/require-input';

/**
 * Luhn (mod 10) check over the digits of `value`; every non-digit character is skipped.
 *
 * @example
 * luhnValid('4111 1111 1111 1111') // true
 */
export function luhnValid(value: string): boolean {
  requireText(value, 'luhnValid');
  let sum = 0;
  let count = 0;
  let double = false;
  for (let index = value.length - 1; index >= 0; index--) {
    const code = value.charCodeAt(index);
    if (code < 48 || code > 57) continue;
    let digit = code - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
    count++;
  }
  return count > 0 && sum % 10 === 0;
}

/**
 * ISO 13616 IBAN check: moves the first four characters to the end, maps letters to 10..35 and
 * verifies the number mod 97 equals 1. Spaces are skipped; letters are case-insensitive. Computed
 * digit by digit, so any length works without big integers. `start`/`end` check a slice without copying.
 *
 * @example
 * ibanChecksumValid('GB82 WEST 1234 5698 7654 32') // true
 */
export function ibanChecksumValid(value: string, start = 0, end = value?.length): boolean {
  requireText(value, 'ibanChecksumValid');
  // Positions of the characters that count (spaces skipped), without allocating.
  let length = 0;
  for (let index = start; index < end; index++) if (value.charCodeAt(index) !== 32) length++;
  if (length < 5) return false;
  let remainder = 0;
  let seen = 0;
  // First pass: everything after the first four counted characters; second pass: those four.
  for (let pass = 0; pass < 2; pass++) {
    seen = 0;
    for (let index = start; index < end; index++) {
      const code = value.charCodeAt(index);
      if (code === 32) continue;
      const position = seen++;
      if ((pass === 0 && position < 4) || (pass === 1 && position >= 4)) continue;
      if (code >= 48 && code <= 57) {
        remainder = (remainder * 10 + (code - 48)) % 97;
      } else {
        const upper = code >= 97 && code <= 122 ? code - 32 : code;
        if (upper < 65 || upper > 90) return false;
        remainder = (remainder * 100 + (upper - 55)) % 97;
      }
    }
  }
  return remainder === 1;
}
