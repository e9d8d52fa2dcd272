import * as chars from '../../util/chars';
import type { RawPiiMatch } from '../pii-entity';

// Bound once at load: calling through the module namespace costs a getter per call in hot loops.
const { isAlnumCode, isSpaceCode } = chars;

const MAX_URL = 2048;
const SCHEMES = ['https://', 'http://', 'ftp://', 'www.'] as const;

function stopsUrl(code: number): boolean {
  // whitespace, quotes, angle brackets, backtick, braces, pipe, backslash, control chars
  return isSpaceCode(code) || code < 32 || code === 34 || code === 60 || code === 62 || code === 96 || code === 123 || code === 125 || code === 124 || code === 92;
}

/**
 * URLs starting with `http://`, `https://`, `ftp://` or `www.` at a word boundary, up to the first
 * whitespace or delimiter (≤ 2048 chars), without trailing punctuation or an unbalanced `)`/`]`.
 * Bare domains (`example.com`) are not claimed: too ambiguous without a scheme.
 */
export function recognizeUrls(text: string, out: RawPiiMatch[]): void {
  let index = 0;
  nextColon = text.indexOf('://');
  nextLower = text.indexOf('w.');
  nextUpper = text.indexOf('W.');
  while (index < text.length) {
    const found = nextScheme(text, index);
    if (!found) return;
    const [start, scheme] = found;
    if (start > 0 && (isAlnumCode(text.charCodeAt(start - 1)) || text.charCodeAt(start - 1) === 64)) {
      index = start + 1;
      continue;
    }
    const hostStart = start + scheme.length;
    // Validate the host first (≤ 253 chars) so failed candidates cost O(host), not O(URL).
    if (!hasDottedHost(text, hostStart)) {
      index = hostStart;
      continue;
    }
    let end = hostStart;
    while (end < text.length && end - start < MAX_URL && !stopsUrl(text.charCodeAt(end))) end++;
    end = trimUrlEnd(text, hostStart, end);
    if (end > hostStart) {
      out.push({ type: 'URL', start, end, score: scheme === 'www.' ? 0.7 : 0.85 });
      index = end;
    } else {
      index = start + 1;
    }
  }
}

/**
 * Next position of each trigger, kept across the {@link nextScheme} calls of one
 * {@link recognizeUrls} call (reset at its start) so each trigger is searched for once: linear.
 */
let nextColon = -1;
let nextLower = -1;
let nextUpper = -1;

/**
 * The leftmost scheme (case-insensitive) starting at or after `from`, like
 * `/https:\/\/|http:\/\/|ftp:\/\/|www\./gi`, found by native searches for the rare `://` and
 * `w.`/`W.` inside every scheme instead of trying each `h`, `f` and `w`. Scheme occurrences never
 * overlap, so the first trigger that completes a scheme gives the leftmost scheme. `from` never
 * decreases between calls.
 */
function nextScheme(text: string, from: number): [number, string] | undefined {
  if (nextColon >= 0 && nextColon < from) nextColon = text.indexOf('://', from);
  if (nextLower >= 0 && nextLower < from) nextLower = text.indexOf('w.', from);
  if (nextUpper >= 0 && nextUpper < from) nextUpper = text.indexOf('W.', from);
  for (;;) {
    let at = nextColon;
    if (nextLower >= 0 && (at < 0 || nextLower < at)) at = nextLower;
    if (nextUpper >= 0 && (at < 0 || nextUpper < at)) at = nextUpper;
    if (at < 0) return undefined;
    const end = at === nextColon ? at + 3 : at + 2;
    for (const scheme of SCHEMES) {
      const start = end - scheme.length;
      // Leave the trigger in place: the caller's next `from` decides whether it is used up.
      if (start >= from && startsWithIgnoreCase(text, start, scheme)) return [start, scheme];
    }
    if (at === nextColon) nextColon = text.indexOf('://', at + 1);
    else if (at === nextLower) nextLower = text.indexOf('w.', at + 1);
    else nextUpper = text.indexOf('W.', at + 1);
  }
}

function trimUrlEnd(text: string, hostStart: number, end: number): number {
  let parens = 0;
  let brackets = 0;
  for (let index = hostStart; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code === 40) parens++;
    else if (code === 41) parens--;
    else if (code === 91) brackets++;
    else if (code === 93) brackets--;
  }
  let result = end;
  while (result > hostStart) {
    const code = text.charCodeAt(result - 1);
    // . , ; : ! ? ' *
    if (code === 46 || code === 44 || code === 59 || code === 58 || code === 33 || code === 63 || code === 39 || code === 42) {
      result--;
    } else if (code === 41 && parens < 0) {
      parens++;
      result--;
    } else if (code === 93 && brackets < 0) {
      brackets++;
      result--;
    } else {
      break;
    }
  }
  return result;
}

function hasDottedHost(text: string, start: number): boolean {
  let dot = false;
  let letters = 0;
  const end = Math.min(text.length, start + 253);
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code === 47 || code === 63 || code === 35 || stopsUrl(code)) break;
    if (code === 46) dot = true;
    else if (isAlnumCode(code)) letters++;
  }
  if (text.startsWith('localhost', start)) return true;
  return dot && letters >= 3;
}

function startsWithIgnoreCase(text: string, at: number, prefix: string): boolean {
  if (at < 0 || at + prefix.length > text.length) return false;
  for (let offset = 0; offset < prefix.length; offset++) {
    let code = text.charCodeAt(at + offset);
    if (code >= 65 && code <= 90) code += 32;
    if (code !== prefix.charCodeAt(offset)) return false;
  }
  return true;
}
