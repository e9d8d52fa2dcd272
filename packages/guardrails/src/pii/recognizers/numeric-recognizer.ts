import * as chars from '../../util/chars';
import { luhnValid } from '../checksums';
import type { RawPiiMatch } from '../pii-entity';

// Bound once at load: calling through the module namespace costs a getter per call in hot loops.
const { isAlnumCode, isDigitCode, isWordCode } = chars;

/** Longest run of digits and separators considered one candidate (an E.164 number with extension fits). */
const MAX_RUN = 40;

interface NumericRun {
  start: number;
  end: number;
  /** Digit groups, in order, without the extension. */
  groups: string[];
  /** The separator text between consecutive groups (`groups.length - 1` entries). */
  separators: string[];
  /** End offset of each group. */
  groupEnds: number[];
  plus: boolean;
  /** Opening parenthesis at the very start, e.g. `(555) 123-4567`. */
  leadingParen: boolean;
  extension: boolean;
}

/** Where a digit run may start (module-level: no per-call allocation; `lastIndex` is reset before use). */
const RUN_START = /[0-9+(]/g;

function isSeparatorCode(code: number): boolean {
  // space - . ( ) /
  return code === 32 || code === 45 || code === 46 || code === 40 || code === 41 || code === 47;
}

/**
 * True when the character(s) before a digit run make it part of a bigger token: a word character,
 * a currency sign, or `. , - + /` glued to a preceding letter or digit ("1,234", "v1.2", "A-123").
 */
function blocksLeft(text: string, index: number): boolean {
  const code = text.charCodeAt(index - 1);
  if (isWordCode(code) || code === 36 || code === 8364 || code === 163) return true;
  if (code === 46 || code === 44 || code === 45 || code === 43 || code === 47) return index >= 2 && isAlnumCode(text.charCodeAt(index - 2));
  return false;
}

/**
 * Digit-run entities in one linear pass: credit cards (13–19 digits, Luhn, known IIN; 12-digit
 * Maestro only with context), US SSNs (area/group/serial rules), IPv4 (with optional CIDR) and phone
 * numbers (E.164, NANP and grouped national formats; weak formats need context to pass).
 * Each position is visited a bounded number of times: runs longer than 40 chars are skipped whole.
 */
export function recognizeNumericEntities(text: string, out: RawPiiMatch[]): void {
  const length = text.length;
  const starts = RUN_START;
  let index = 0;
  while (index < length) {
    starts.lastIndex = index;
    if (!starts.test(text)) return;
    index = starts.lastIndex - 1;
    if (index > 0 && blocksLeft(text, index)) {
      index = skipRun(text, index);
      continue;
    }
    // Cheap pre-check without allocating: fewer than 4 digits ahead can be no entity here.
    const ahead = digitsAhead(text, index);
    if (ahead.digits < 4) {
      index = Math.max(ahead.end, index + 1);
      continue;
    }
    const run = readRun(text, index);
    if (!run) {
      index = skipRun(text, index + 1);
      continue;
    }
    let match = classify(text, run);
    // "4222222222222 (13 digits)": the run may have swallowed trailing groups; a shorter run that
    // classifies with a higher score (a Luhn-valid card instead of a weak phone) wins.
    const retry = run.groups.length > 1 && (!match || match.score < 0.6) && run.groups[0]!.length + (run.groups[1]?.length ?? 0) >= 8;
    for (let keep = run.groups.length - 1; retry && (!match || match.score < 0.6) && keep >= 1; keep--) {
      const shorter = classify(text, {
        ...run,
        end: run.groupEnds[keep - 1]!,
        groups: run.groups.slice(0, keep),
        separators: run.separators.slice(0, keep - 1),
        groupEnds: run.groupEnds.slice(0, keep),
        extension: false,
      });
      if (shorter && (!match || shorter.score > match.score)) match = shorter;
    }
    if (match) out.push(match);
    index = Math.max(match ? match.end : run.end, index + 1);
  }
}

/** Digits in the candidate run starting at `start` (bounded by MAX_RUN), and where the scan stopped. */
function digitsAhead(text: string, start: number): { digits: number; end: number } {
  let digits = 0;
  let index = start;
  if (text.charCodeAt(index) === 43) index++;
  while (index < text.length && index - start <= MAX_RUN) {
    const code = text.charCodeAt(index);
    if (isDigitCode(code)) digits++;
    else if (!isSeparatorCode(code)) break;
    index++;
  }
  return { digits, end: index };
}

/** Skips past a run of digits/separators (so blocked or oversized runs cost O(length) once). */
function skipRun(text: string, from: number): number {
  let index = from;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (!(isDigitCode(code) || isSeparatorCode(code) || code === 43)) break;
    index++;
  }
  return index;
}

function readRun(text: string, start: number): NumericRun | undefined {
  const groups: string[] = [];
  const separators: string[] = [];
  const groupEnds: number[] = [];
  let index = start;
  let plus = false;
  let leadingParen = false;
  let openParens = 0;
  if (text.charCodeAt(index) === 43) {
    plus = true;
    index++;
  }
  if (text.charCodeAt(index) === 40) {
    leadingParen = !plus;
    openParens++;
    index++;
  }
  if (!isDigitCode(text.charCodeAt(index))) return undefined;
  let lastDigitEnd = index;
  let pendingSeparator = '';
  let extension = false;
  while (index < text.length && index - start <= MAX_RUN) {
    const code = text.charCodeAt(index);
    if (isDigitCode(code)) {
      let end = index;
      while (end < text.length && isDigitCode(text.charCodeAt(end))) end++;
      if (groups.length > 0) separators.push(pendingSeparator);
      groups.push(text.slice(index, end));
      groupEnds.push(end);
      pendingSeparator = '';
      index = end;
      lastDigitEnd = end;
      continue;
    }
    if (isSeparatorCode(code)) {
      if (code === 40) openParens++;
      if (code === 41) {
        if (openParens === 0) break;
        openParens--;
      }
      pendingSeparator += text[index];
      if (pendingSeparator.length > 3 || pendingSeparator.includes('  ')) break;
      index++;
      continue;
    }
    // Extension: x123, ext 123, ext. 123 right after a digit group.
    if (groups.length > 0 && (code === 120 || code === 101)) {
      const extensionEnd = readExtension(text, index, pendingSeparator);
      if (extensionEnd > index) {
        extension = true;
        lastDigitEnd = extensionEnd;
        index = extensionEnd;
      }
    }
    break;
  }
  if (index - start > MAX_RUN) return undefined;
  let end = lastDigitEnd;
  // Keep a closing parenthesis that balances one opened inside the run: "(0)8" is kept by digits anyway.
  if (text.charCodeAt(end) === 41 && openParens > 0 && !leadingParen) end++;
  const next = text.charCodeAt(end);
  if (end < text.length && (isAlnumCode(next) || next === 95 || next === 64)) return undefined;
  return { start, end, groups, separators, groupEnds, plus, leadingParen, extension };
}

function readExtension(text: string, at: number, pendingSeparator: string): number {
  if (pendingSeparator.length > 1) return at;
  let index = at;
  if (text.charCodeAt(index) === 120) index++;
  else if (text.startsWith('ext', index)) {
    index += 3;
    if (text.charCodeAt(index) === 46) index++;
    if (text.charCodeAt(index) === 32) index++;
  } else return at;
  const digitsStart = index;
  while (index < text.length && index - digitsStart < 6 && isDigitCode(text.charCodeAt(index))) index++;
  if (index === digitsStart || isDigitCode(text.charCodeAt(index))) return at;
  return index;
}

function classify(text: string, run: NumericRun): RawPiiMatch | undefined {
  const { groups, separators } = run;
  let count = 0;
  for (const group of groups) count += group.length;
  // The shortest entity here is an IPv4 address (4 digits).
  if (count < 4) return undefined;
  let onlySeparator: string | undefined = separators.length === 0 ? '' : separators[0];
  for (let index = 1; index < separators.length; index++) {
    if (separators[index] !== onlySeparator) {
      onlySeparator = undefined;
      break;
    }
  }

  if (!run.plus && !run.leadingParen && !run.extension) {
    const ip = ipv4(text, run, onlySeparator);
    if (ip) return ip;
    const ssn = usSsn(run, onlySeparator);
    if (ssn) return ssn;
    const card = creditCard(run, count, onlySeparator);
    if (card) return card;
  }
  if (looksLikeArithmetic(text, run)) return undefined;
  return phone(run, count, onlySeparator);
}

/** "23786 - 17509 = 6277": spaced operators or an `=`/operator right after the run mean arithmetic. */
function looksLikeArithmetic(text: string, run: NumericRun): boolean {
  for (const separator of run.separators) if (separator === ' - ') return true;
  let index = run.end;
  while (index < text.length && index - run.end < 3 && text.charCodeAt(index) === 32) index++;
  const next = text.charCodeAt(index);
  // = + * / × ÷ < > %
  return next === 61 || next === 43 || next === 42 || next === 47 || next === 215 || next === 247 || next === 60 || next === 62 || next === 37;
}

function ipv4(text: string, run: NumericRun, onlySeparator: string | undefined): RawPiiMatch | undefined {
  const { groups, separators } = run;
  let octets = groups;
  let end = run.end;
  let detail = 'ipv4';
  // CIDR suffix: a.b.c.d/nn
  if (groups.length === 5 && separators.slice(0, 3).every((separator) => separator === '.') && separators[3] === '/') {
    const prefix = Number(groups[4]);
    if (groups[4]!.length > 2 || prefix > 32) return undefined;
    octets = groups.slice(0, 4);
    detail = 'ipv4-cidr';
  } else if (groups.length !== 4 || onlySeparator !== '.') {
    return undefined;
  }
  for (const octet of octets) {
    if (octet.length > 3 || Number(octet) > 255 || (octet.length > 1 && octet.startsWith('0'))) return undefined;
  }
  // "1.2.3.4." at a sentence end is fine; "1.2.3.4.5" was never split into this run.
  if (text.charCodeAt(end) === 46 && isDigitCode(text.charCodeAt(end + 1))) return undefined;
  end = run.end;
  return { type: 'IP_ADDRESS', start: run.start, end, score: 0.8, detail };
}

function usSsn(run: NumericRun, onlySeparator: string | undefined): RawPiiMatch | undefined {
  const { groups } = run;
  let area: string;
  let group: string;
  let serial: string;
  let score: number;
  if (groups.length === 3 && groups[0]!.length === 3 && groups[1]!.length === 2 && groups[2]!.length === 4 && (onlySeparator === '-' || onlySeparator === ' ')) {
    [area, group, serial] = groups as [string, string, string];
    score = onlySeparator === '-' ? 0.6 : 0.4;
  } else if (groups.length === 1 && groups[0]!.length === 9) {
    const digits = groups[0]!;
    area = digits.slice(0, 3);
    group = digits.slice(3, 5);
    serial = digits.slice(5);
    score = 0.2;
  } else {
    return undefined;
  }
  if (!validSsnParts(area, group, serial)) return undefined;
  return { type: 'US_SSN', start: run.start, end: run.end, score };
}

/** SSA rules: area not 000, 666 or 900–999; group not 00; serial not 0000; and not the advertising numbers. */
function validSsnParts(area: string, group: string, serial: string): boolean {
  const areaNumber = Number(area);
  if (areaNumber === 0 || areaNumber === 666 || areaNumber >= 900) return false;
  if (group === '00' || serial === '0000') return false;
  const all = area + group + serial;
  // Woolworth wallet card and the 1962 advertisement numbers, and runs of one digit.
  if (all === '078051120' || all === '219099999' || /^(\d)\1{8}$/.test(all)) return false;
  return true;
}

/** Card brand by issuer identification number, or undefined when no known brand issues that prefix. */
export function cardBrand(digits: string): string | undefined {
  const two = Number(digits.slice(0, 2));
  const three = Number(digits.slice(0, 3));
  const four = Number(digits.slice(0, 4));
  const six = Number(digits.slice(0, 6));
  const length = digits.length;
  if (digits.startsWith('4') && (length === 13 || length === 16 || length === 19)) return 'visa';
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return length === 16 ? 'mastercard' : undefined;
  if (two === 34 || two === 37) return length === 15 ? 'amex' : undefined;
  if (four === 6011 || two === 65 || (three >= 644 && three <= 649) || (six >= 622126 && six <= 622925)) return length >= 16 ? 'discover' : undefined;
  if (four >= 3528 && four <= 3589) return length >= 16 ? 'jcb' : undefined;
  if ((four === 2131 || four === 1800) && length === 15) return 'jcb';
  if ((three >= 300 && three <= 305) || two === 36 || two === 38 || two === 39 || three === 309) return length >= 14 ? 'diners' : undefined;
  if (two === 62 || two === 81) return length >= 16 ? 'unionpay' : undefined;
  if (two === 50 || (two >= 56 && two <= 69)) return length >= 12 ? 'maestro' : undefined;
  if (two === 22) return length === 16 ? 'mir' : undefined;
  return undefined;
}

function creditCard(run: NumericRun, count: number, onlySeparator: string | undefined): RawPiiMatch | undefined {
  if (count < 12 || count > 19) return undefined;
  if (onlySeparator === undefined || (onlySeparator !== '' && onlySeparator !== ' ' && onlySeparator !== '-')) return undefined;
  const grouped = run.groups.length === 1 || cardGrouping(run.groups);
  if (!grouped) return undefined;
  // Joined only here: most runs are phones, dates or amounts, which need no digit string.
  const digits = run.groups.length === 1 ? run.groups[0]! : run.groups.join('');
  if (!luhnValid(digits)) return undefined;
  if (/^(\d)\1+$/.test(digits)) return undefined;
  const brand = cardBrand(digits);
  if (count === 12) return brand === 'maestro' ? { type: 'CREDIT_CARD', start: run.start, end: run.end, score: 0.3, detail: brand } : undefined;
  return { type: 'CREDIT_CARD', start: run.start, end: run.end, score: brand ? 0.8 : 0.4, ...(brand ? { detail: brand } : {}) };
}

/** 4-4-4-4(-1..4), 4-6-5 (Amex) or 4-6-4 (Diners) groups. */
function cardGrouping(groups: readonly string[]): boolean {
  const count = groups.length;
  if (count === 3 && groups[0]!.length === 4 && groups[1]!.length === 6) return groups[2]!.length === 5 || groups[2]!.length === 4;
  for (let index = 0; index < count; index++) {
    const size = groups[index]!.length;
    if (index === count - 1 && index > 0) return size >= 1 && size <= 4;
    if (size !== 4) return false;
  }
  return true;
}

function phone(run: NumericRun, count: number, onlySeparator: string | undefined): RawPiiMatch | undefined {
  const { groups, separators } = run;
  if (count < 7 || count > 15) return undefined;
  for (const separator of separators) if (separator.includes('/')) return undefined;
  if (looksLikeDate(groups, separators)) return undefined;
  const { start, end } = run;
  if (run.plus) {
    if (count < 8 || groups[0]!.charCodeAt(0) === 48) return undefined;
    return { type: 'PHONE_NUMBER', start, end, score: 0.75, detail: 'e164' };
  }
  const groupCount = groups.length;
  // Group sizes 3,3,4 or 1,3,3,4 (NANP), compared without building a string.
  const sizes334 = groupCount === 3 && groups[0]!.length === 3 && groups[1]!.length === 3 && groups[2]!.length === 4;
  const sizes1334 = groupCount === 4 && groups[0]!.length === 1 && groups[1]!.length === 3 && groups[2]!.length === 3 && groups[3]!.length === 4;
  const nanpSeparator = onlySeparator === '-' || onlySeparator === '.' || onlySeparator === ' ';
  const first = groups[0]!.charCodeAt(0);
  if (run.leadingParen && sizes334 && first >= 50 && first <= 57) return { type: 'PHONE_NUMBER', start, end, score: 0.7, detail: 'nanp' };
  if (nanpSeparator && (sizes334 || sizes1334) && nanpDigits(groups)) return { type: 'PHONE_NUMBER', start, end, score: 0.65, detail: 'nanp' };
  if (first === 48 && (digitAt(groups, 1) === 48 || (digitAt(groups, 1) === 49 && digitAt(groups, 2) === 49)) && count >= 11 && groupCount > 1) return { type: 'PHONE_NUMBER', start, end, score: 0.6, detail: 'international' };
  if (groupCount > 1) {
    // A plain decimal ("3.14159") or a two-part version is not a phone.
    if (groupCount === 2 && onlySeparator === '.') return undefined;
    if (groupCount > 2) for (const group of groups) if (group.length > 5) return { type: 'PHONE_NUMBER', start, end, score: 0.3, detail: 'national' };
    return { type: 'PHONE_NUMBER', start, end, score: count >= 8 || run.leadingParen ? 0.4 : 0.3, detail: 'national' };
  }
  if (run.extension && count >= 10) return { type: 'PHONE_NUMBER', start, end, score: 0.5, detail: 'national' };
  if (count === 10 || count === 11) return { type: 'PHONE_NUMBER', start, end, score: 0.3, detail: 'national' };
  return undefined;
}

/** `/^1?[2-9]\d{2}[2-9]/` over the run's digits: area code and exchange not starting with 0 or 1. */
function nanpDigits(groups: readonly string[]): boolean {
  const offset = digitAt(groups, 0) === 49 ? 1 : 0;
  const area = digitAt(groups, offset);
  const exchange = digitAt(groups, offset + 3);
  return area >= 50 && area <= 57 && exchange >= 50 && exchange <= 57;
}

/** The code of the run's digit number `at` (counting across groups, as if joined), or NaN past the end. */
function digitAt(groups: readonly string[], at: number): number {
  let offset = at;
  for (const group of groups) {
    if (offset < group.length) return group.charCodeAt(offset);
    offset -= group.length;
  }
  return Number.NaN;
}

function looksLikeDate(groups: readonly string[], separators: readonly string[]): boolean {
  if (groups.length < 3) return false;
  const [first, second, third] = groups as [string, string, string];
  const dateSeparators = separators[0] === separators[1] && (separators[0] === '-' || separators[0] === '.' || separators[0] === '/');
  if (!dateSeparators) return false;
  if (first.length === 4 && second.length <= 2 && third.length <= 2) return Number(second) <= 12;
  if (first.length <= 2 && second.length <= 2 && third.length === 4) return Number(third) >= 1900 && Number(third) <= 2100;
  return false;
}
