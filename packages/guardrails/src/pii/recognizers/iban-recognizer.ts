import * as chars from '../../util/chars';
import { ibanChecksumValid } from '../checksums';
import type { RawPiiMatch } from '../pii-entity';

// Bound once at load: calling through the module namespace costs a getter per call in hot loops.
const { isAlnumCode } = chars;

/** IBAN length per country (ISO 13616 registry, SWIFT release 2024). */
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28, CH: 21, CR: 22, CY: 28,
  CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23,
  GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32,
  LI: 21, LT: 20, LU: 20, LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28, NL: 18,
  NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31, SD: 18, SE: 24, SI: 19,
  SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20, YE: 30,
};

/** Where an IBAN may start; `lastIndex` is set before every use. */
const IBAN_START = /[A-Za-z]{2}[0-9]{2}/g;

const LENGTH_BY_CODE = new Map<number, number>(Object.entries(IBAN_LENGTHS).map(([country, length]) => [(country.charCodeAt(0) << 8) | country.charCodeAt(1), length]));

/**
 * IBANs: a known country code, two check digits and exactly the country's length of alphanumerics,
 * compact or in groups separated by single spaces; validated with mod-97. Case-insensitive.
 */
export function recognizeIbans(text: string, out: RawPiiMatch[]): void {
  const length = text.length;
  const starts = IBAN_START;
  for (let index = 0; index + 4 < length; index++) {
    starts.lastIndex = index;
    if (!starts.test(text)) return;
    index = starts.lastIndex - 4;
    if (index > 0 && isAlnumCode(text.charCodeAt(index - 1))) continue;
    const expected = LENGTH_BY_CODE.get(((text.charCodeAt(index) & ~32) << 8) | (text.charCodeAt(index + 1) & ~32));
    if (!expected) continue;
    let end = index;
    let collected = 0;
    let spaced = false;
    while (end < length && collected < expected) {
      const code = text.charCodeAt(end);
      if (isAlnumCode(code)) {
        collected++;
        end++;
      } else if (code === 32 && collected > 0 && collected % 4 === 0 && end + 1 < length && isAlnumCode(text.charCodeAt(end + 1))) {
        spaced = true;
        end++;
      } else {
        break;
      }
    }
    if (collected !== expected) continue;
    if (end < length && isAlnumCode(text.charCodeAt(end))) continue;
    if (!ibanChecksumValid(text, index, end)) continue;
    out.push({ type: 'IBAN_CODE', start: index, end, score: 0.9, ...(spaced ? { detail: 'grouped' } : {}) });
    index = end - 1;
  }
}
