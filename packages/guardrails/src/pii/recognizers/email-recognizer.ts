import * as chars from '../../util/chars';
import type { RawPiiMatch } from '../pii-entity';

// Bound once at load: calling through the module namespace costs a getter per call in hot loops.
const { isAlnumCode, isAsciiLetterCode } = chars;

const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;

function isLocalCode(code: number): boolean {
  // RFC 5322 atext subset seen in practice: alnum . _ % + - '
  return isAlnumCode(code) || code === 46 || code === 95 || code === 37 || code === 43 || code === 45 || code === 39;
}

function isDomainCode(code: number): boolean {
  return isAlnumCode(code) || code === 46 || code === 45;
}

/**
 * Email addresses: anchored on each `@`, the local part is scanned left (≤ 64 chars) and the domain
 * right (≤ 253 chars); the domain needs a dot and an alphabetic TLD of 2+ letters. O(n) overall.
 */
export function recognizeEmails(text: string, out: RawPiiMatch[]): void {
  let at = text.indexOf('@');
  let lastEnd = 0;
  while (at >= 0) {
    let start = at;
    while (start > lastEnd && at - start < MAX_LOCAL && isLocalCode(text.charCodeAt(start - 1))) start--;
    while (start < at && (text.charCodeAt(start) === 46 || text.charCodeAt(start) === 39)) start++;
    let end = at + 1;
    while (end < text.length && end - at <= MAX_DOMAIN && isDomainCode(text.charCodeAt(end))) end++;
    while (end > at + 1 && (text.charCodeAt(end - 1) === 46 || text.charCodeAt(end - 1) === 45)) end--;
    if (start < at && end > at + 1 && validDomain(text, at + 1, end)) {
      out.push({ type: 'EMAIL_ADDRESS', start, end, score: 0.95 });
      lastEnd = end;
    }
    at = text.indexOf('@', Math.max(at + 1, lastEnd));
  }
}

function validDomain(text: string, start: number, end: number): boolean {
  let lastDot = end - 1;
  while (lastDot > start && text.charCodeAt(lastDot) !== 46) lastDot--;
  if (lastDot <= start || end - lastDot - 1 < 2) return false;
  for (let index = lastDot + 1; index < end; index++) if (!isAsciiLetterCode(text.charCodeAt(index))) return false;
  // No empty labels ("a..b") and no label starting with a hyphen.
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code === 46 && (index === start || text.charCodeAt(index - 1) === 46)) return false;
  }
  return text.charCodeAt(start) !== 45;
}
