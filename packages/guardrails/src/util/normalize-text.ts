import { requireText } from './require-input';

const LEET: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i', '|': 'l', '€': 'e' };

/** Zero-width and formatting characters that hide text from people but not from models. */
const INVISIBLE = /[\u00AD\u061C\u115F\u1160\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]|\u034F|\u17B4|\u17B5|\uFE00|\uFE01|\uFE02|\uFE03|\uFE04|\uFE05|\uFE06|\uFE07|\uFE08|\uFE09|\uFE0A|\uFE0B|\uFE0C|\uFE0D|\uFE0E|\uFE0F|\uDB40[\uDC00-\uDCFF]/g;

const LETTER = /\p{L}/u;
/** Maximal runs of leetspeak symbols (module-level; `lastIndex` is reset before each use). */
const LEET_RUN = /[013457@$!|€]+/g;

const isSeparator = (code: number): boolean => code === 32 || code === 46 || code === 45 || code === 95;
const isAsciiLetter = (code: number): boolean => (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
/** Might be (part of) a letter: an ASCII letter or any non-ASCII unit (decided by the regex itself). */
const mayBeLetter = (code: number): boolean => code >= 128 || isAsciiLetter(code);

/** Whether the code point starting at (`forward`) or ending before (`!forward`) `index` is a letter. */
function letterAt(value: string, index: number, forward: boolean): boolean {
  if (index < 0 || index >= value.length) return false;
  const code = value.charCodeAt(index);
  if (code < 128) return (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
  // Astral letters: read the whole surrogate pair.
  const point = forward ? value.codePointAt(index)! : code >= 0xdc00 && code <= 0xdfff && index > 0 ? value.codePointAt(index - 1)! : code;
  return LETTER.test(String.fromCodePoint(point));
}

/**
 * Leetspeak only where a run of symbols touches a letter (`k1ll` → `kill`; "5 kids" stays; a
 * word-final "!" or "|" stays punctuation). A
 * scan over maximal runs: the regex form (`[…]+(?=\p{L})`) re-read a long run from each of its
 * positions, quadratic on "!!!!…" or "0000…".
 */
function replaceLeet(value: string): string {
  // Pieces joined once at the end: thousands of `+=` build a deep rope that is slow to flatten.
  const pieces: string[] = [];
  let copied = 0;
  LEET_RUN.lastIndex = 0;
  for (let match = LEET_RUN.exec(value); match !== null; match = LEET_RUN.exec(value)) {
    const end = match.index + match[0].length;
    let run = match[0];
    if (!letterAt(value, end, true)) {
      if (!letterAt(value, match.index - 1, false)) continue;
      // After a word only: a "!" or "|" there is punctuation, never a letter ("kill you!" must not
      // become "kill youi"), so the replaced part stops at the first of them.
      const stop = run.search(/[!|]/);
      if (stop === 0) continue;
      if (stop > 0) run = run.slice(0, stop);
    }
    let replaced = '';
    for (const symbol of run) replaced += LEET[symbol] ?? symbol;
    pieces.push(value.slice(copied, match.index), replaced);
    copied = match.index + run.length;
  }
  if (copied === 0) return value;
  pieces.push(value.slice(copied));
  return pieces.join('');
}

/**
 * Whether some possible letter repeats three times in a row (`aaa`, or a surrogate pair three
 * times): the runs the letter-run rule shortens need one, and most text has none, so the regex is
 * skipped. ASCII non-letters ("...", "---", indentation) are passed over; any other unit counts.
 */
function hasTripledUnit(value: string): boolean {
  for (let index = 0; index + 2 < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 128 && !isAsciiLetter(code)) continue;
    if (code === value.charCodeAt(index + 1) && code === value.charCodeAt(index + 2)) return true;
    if (code >= 0xd800 && code <= 0xdbff && index + 5 < value.length && code === value.charCodeAt(index + 2) && code === value.charCodeAt(index + 4)) {
      const low = value.charCodeAt(index + 1);
      if (low === value.charCodeAt(index + 3) && low === value.charCodeAt(index + 5)) return true;
    }
  }
  return false;
}

/** 3+ single letters separated by one space, dot, dash or underscore (module-level; `replace` resets `lastIndex`). */
const SPACED_LETTERS = /(?<![\p{L}])\p{L}(?:[ ._-]\p{L}(?![\p{L}])){2,}/gu;

/**
 * Whether `SPACED_LETTERS` may match: somewhere a letter, a separator, a single letter, a separator
 * and a letter, the first one not after an ASCII letter ("a b c", "k.i.l.l"). Non-ASCII units
 * count as possible letters and non-letters, so a text that fails this cannot match the regex
 * (which costs ~25 % of this normalization on ordinary text, where such runs are rare).
 */
function mayHaveSpacedLetters(value: string): boolean {
  for (let index = 1; index + 3 < value.length; index++) {
    if (!isSeparator(value.charCodeAt(index)) || !mayBeLetter(value.charCodeAt(index - 1))) continue;
    if (index >= 2 && isAsciiLetter(value.charCodeAt(index - 2))) continue;
    const second = value.charCodeAt(index + 1);
    // A non-ASCII second letter may be a surrogate pair (two units): left to the regex.
    if (second >= 128) return true;
    if (!isAsciiLetter(second) || !isSeparator(value.charCodeAt(index + 2)) || !mayBeLetter(value.charCodeAt(index + 3))) continue;
    return true;
  }
  return false;
}

/**
 * Normalizes text for lexicon matching against obfuscation: NFKC (full-width, ligatures), lower
 * case, invisible characters removed, leetspeak inside words (`k1ll` → `kill`), letters spaced out
 * (`k i l l`, `k.i.l.l` → `kill`) joined, and runs of 3+ identical letters shortened to 2. Linear.
 */
export function normalizeForMatching(text: string): string {
  // Every text check (moderation, injection, policy rules) starts here: one type check covers them all.
  requireText(text, 'This guardrails check');
  let value = text.normalize('NFKC').toLowerCase().replace(INVISIBLE, '');
  value = replaceLeet(value);
  // Spaced-out letters: 3+ single letters separated by one space, dot, dash or underscore.
  if (mayHaveSpacedLetters(value)) value = value.replace(SPACED_LETTERS, (run) => run.replace(/[ ._-]/g, ''));
  if (hasTripledUnit(value)) value = value.replace(/(\p{L})\1{2,}/gu, '$1$1');
  value = value.replace(/[ \t]{2,}/g, ' ');
  return value;
}

/** Count of invisible/formatting characters (zero-width, bidi controls, tag characters) in `text`. */
export function countInvisible(text: string): number {
  let count = 0;
  for (const _ of text.matchAll(INVISIBLE)) count++;
  return count;
}
