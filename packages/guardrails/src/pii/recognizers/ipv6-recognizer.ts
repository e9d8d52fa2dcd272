import * as chars from '../../util/chars';
import type { RawPiiMatch } from '../pii-entity';

// Bound once at load: calling through the module namespace costs a getter per call in hot loops.
const { isAlnumCode, isDigitCode, isHexCode } = chars;

const MAX_IPV6 = 45;

function isIpv6Code(code: number): boolean {
  return isHexCode(code) || code === 58 || code === 46;
}

/**
 * IPv6 addresses (full, `::`-compressed, with an embedded IPv4 tail): runs of hex digits, colons
 * and dots of at most 45 chars, validated by a real parser. Times like `12:30:45` do not parse.
 */
export function recognizeIpv6(text: string, out: RawPiiMatch[]): void {
  const length = text.length;
  let index = text.indexOf(':');
  while (index >= 0) {
    // Walk back to the start of this hex/colon run (bounded), then forward to its end.
    let start = index;
    while (start > 0 && index - start < MAX_IPV6 && isIpv6Code(text.charCodeAt(start - 1))) start--;
    let end = index;
    while (end < length && end - start <= MAX_IPV6 && isIpv6Code(text.charCodeAt(end))) end++;
    // Trailing dot or colon that ends a sentence.
    while (end > start && text.charCodeAt(end - 1) === 46) end--;
    const before = start > 0 ? text.charCodeAt(start - 1) : 32;
    const after = end < length ? text.charCodeAt(end) : 32;
    if (end - start <= MAX_IPV6 && !isAlnumCode(before) && !isAlnumCode(after) && before !== 58 && validIpv6(text.slice(start, end))) {
      out.push({ type: 'IP_ADDRESS', start, end, score: 0.85, detail: 'ipv6' });
    }
    const next = Math.max(end, index + 1);
    // Skip the rest of this run so each char is visited a bounded number of times.
    let skip = next;
    while (skip < length && isIpv6Code(text.charCodeAt(skip))) skip++;
    index = text.indexOf(':', skip);
  }
}

/** Strict IPv6 text parser (RFC 4291 §2.2). */
export function validIpv6(value: string): boolean {
  if (value.length < 2 || value.length > MAX_IPV6) return false;
  const doubleColon = value.indexOf('::');
  if (doubleColon >= 0 && value.indexOf('::', doubleColon + 1) >= 0) return false;
  let groups: string[];
  let needed = 8;
  let tail = value;
  if (value.includes('.')) {
    const lastColon = value.lastIndexOf(':');
    if (lastColon < 0 || !validIpv4(value.slice(lastColon + 1))) return false;
    tail = value.slice(0, lastColon + 1) + '0:0';
    needed = 8;
  }
  if (doubleColon >= 0) {
    const [head = '', rest = ''] = tail.split('::');
    const headGroups = head === '' ? [] : head.split(':');
    const restGroups = rest === '' ? [] : rest.split(':');
    if (headGroups.length + restGroups.length > 7) return false;
    groups = [...headGroups, ...restGroups];
    // "::" alone or with a single group is too ambiguous to claim as an address in prose.
    if (groups.filter((group) => group !== '').length < 2) return false;
  } else {
    groups = tail.split(':');
    if (groups.length !== needed) return false;
  }
  let hasLetterOrDigit = false;
  for (const group of groups) {
    if (group.length === 0 || group.length > 4) return false;
    for (let index = 0; index < group.length; index++) {
      if (!isHexCode(group.charCodeAt(index))) return false;
      hasLetterOrDigit = true;
    }
  }
  return hasLetterOrDigit;
}

function validIpv4(value: string): boolean {
  const parts = value.split('.');
  if (parts.length !== 4) return false;
  return parts.every((part) => part.length > 0 && part.length <= 3 && [...part].every((char) => isDigitCode(char.charCodeAt(0))) && Number(part) <= 255);
}
