/**
 * Text normalization for the trained classifiers: one linear pass that keeps word boundaries.
 *
 * NFKC and lower case; invisible characters dropped; leetspeak read as letters only inside or at
 * the start of a word (`k1ll`, `$hit`, `!diot`, `a$$`), never at a word's end, so `kill you!`
 * stays `kill you`; `*` inside a word dropped (`f*ck` → `fck`); runs of 3+ identical letters cut
 * to 2; apostrophes inside words dropped (`don't` → `dont`); everything else that is not a letter
 * or digit becomes one space; runs of 3+ single letters joined (`k i l l` → `kill`).
 */

/** Leetspeak symbol → letter code, as a table over UTF-16 code units (0: not leet; a Map lookup per character cost ~10 % of a moderation call). */
const LEET = new Uint16Array(65_536);
for (const pair of '0o1i3e4a5s7t@a$s!i|l€e'.matchAll(/(.)(.)/gu)) LEET[pair[1]!.charCodeAt(0)] = pair[2]!.charCodeAt(0);
/** Symbols that may start a word as leetspeak (`@ss`, `$hit`, `!diot`); digits may not (`10am`, `5kids`). */
const LEADING = new Set([...'@$!|€'].map((char) => char.charCodeAt(0)));
const APOSTROPHES = new Set([0x27, 0x2018, 0x2019, 0x02bc, 0x60, 0xb4]);
const STAR = 0x2a;
const DOLLAR = 0x24;
const SPACE = 0x20;

/** Zero-width and formatting characters that hide text from people but not from models. */
function isInvisible(code: number): boolean {
  return (
    code === 0xad || code === 0x34f || code === 0x61c || code === 0x115f || code === 0x1160 || code === 0x17b4 || code === 0x17b5 || code === 0x180e || (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x202a && code <= 0x202e) || (code >= 0x2060 && code <= 0x2064) || (code >= 0x2066 && code <= 0x206f) || code === 0x3164 || (code >= 0xfe00 && code <= 0xfe0f) || code === 0xfeff || code === 0xffa0
  );
}

/** 1 = letter, digit or mark, 2 = not; filled per 256-code block on first use (no up-front cost). */
const WORD_TABLE = new Uint8Array(65_536);
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

function isWordCode(code: number): boolean {
  if (code < 128) return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90);
  let known = WORD_TABLE[code]!;
  if (known === 0) {
    const start = code & 0xff00;
    for (let index = start; index < start + 256; index++) WORD_TABLE[index] = index >= 0xd800 && index <= 0xdfff ? 2 : WORD_CHAR.test(String.fromCharCode(index)) ? 1 : 2;
    known = WORD_TABLE[code]!;
  }
  return known === 1;
}

const isDigit = (code: number): boolean => code >= 48 && code <= 57;
const isLetter = (code: number): boolean => !isDigit(code) && isWordCode(code);

const decoder = new TextDecoder('utf-16le');
let scratch = new Uint16Array(4_096);

/** Normalized text: single spaces between words, no leading or trailing space. Linear in `text`. */
export function normalizeForFeatures(text: string): string {
  const value = text.normalize('NFKC').toLowerCase();
  const length = value.length;
  // Output as UTF-16 code units: no string per word, so no garbage and no quadratic rope flattening.
  // The array is reused across calls (texts up to 64 K characters), so a call allocates only its result.
  if (length + 1 > scratch.length && length + 1 <= 1 << 16) scratch = new Uint16Array(Math.min(1 << 16, Math.max(length + 1, scratch.length * 2)));
  const out = length + 1 <= scratch.length ? scratch : new Uint16Array(length + 1);
  // `size` and `wordStart` stay locals (no closures over them, which would keep them in a heap context).
  let size = 0;
  let wordStart = 0;
  for (let index = 0; index < length; index++) {
    const code = value.charCodeAt(index);
    if (LEET[code] !== 0) {
      // A run of leet symbols: letters when a letter follows and the run is inside a word or starts
      // with a symbol that can start one (not a digit: "10am"), or `$`s right after a letter
      // ("a$$"). A run that ends a word ("you!", "5!") is punctuation or a number.
      let end = index;
      let dollars = true;
      while (end < length && LEET[value.charCodeAt(end)] !== 0) {
        if (value.charCodeAt(end) !== DOLLAR) dollars = false;
        end++;
      }
      const inside = size > wordStart && index > 0 && isLetter(value.charCodeAt(index - 1));
      const followed = end < length && isLetter(value.charCodeAt(end));
      const asLetters = (followed && (inside || LEADING.has(code))) || (inside && dollars);
      for (let symbol = index; symbol < end; symbol++) {
        const symbolCode = value.charCodeAt(symbol);
        if (asLetters || isDigit(symbolCode)) size = append(out, size, wordStart, asLetters ? LEET[symbolCode]! : symbolCode);
        else {
          if (size > wordStart) out[size++] = SPACE;
          wordStart = size;
        }
      }
      index = end - 1;
      continue;
    }
    if (isWordCode(code)) {
      size = append(out, size, wordStart, code);
      continue;
    }
    // ASCII spaces and punctuation (most of what is left) end a word; only ' ` and * need a look.
    if (code < 0x80 && code !== 0x27 && code !== 0x60 && code !== STAR) {
      if (size > wordStart) out[size++] = SPACE;
      wordStart = size;
      continue;
    }
    if (isInvisible(code)) continue;
    // Tag characters (U+E0000–E007F, a surrogate pair starting 0xDB40) are invisible too.
    if (code === 0xdb40 && index + 1 < length) {
      index++;
      continue;
    }
    if ((APOSTROPHES.has(code) || code === STAR) && size > wordStart && index + 1 < length && isLetter(value.charCodeAt(index + 1))) continue;
    if (size > wordStart) out[size++] = SPACE;
    wordStart = size;
  }
  if (size > 0 && out[size - 1] === SPACE) size--;
  size = joinSpacedLetters(out, size);
  return decoder.decode(out.subarray(0, size));
}

/** Appends `code` to the word started at `wordStart` unless it would be a third identical letter in a row ("hateee" → "hatee", "sooo" → "soo"); returns the new size. */
function append(out: Uint16Array, size: number, wordStart: number, code: number): number {
  if (size - wordStart >= 2 && out[size - 1] === code && out[size - 2] === code && !isDigit(code)) return size;
  out[size] = code;
  return size + 1;
}

/** "k i l l" → "kill": 3+ one-letter words in a row are one word spelled out. In place; returns the new size. */
function joinSpacedLetters(out: Uint16Array, size: number): number {
  let write = 0;
  let read = 0;
  while (read < size) {
    // A run of single letters: x y z … (each followed by a space or the end).
    let end = read;
    let letters = 0;
    while (end < size && out[end] !== SPACE && (end + 1 === size || out[end + 1] === SPACE)) {
      letters++;
      end += 2;
    }
    if (letters >= 3) {
      for (let index = read; index < end && index < size; index += 2) out[write++] = out[index]!;
      if (end < size) out[write++] = SPACE;
      read = end;
      continue;
    }
    // Copy one word and its space.
    if (letters > 0) end = read + 2;
    else {
      end = read;
      while (end < size && out[end] !== SPACE) end++;
      end++;
    }
    for (let index = read; index < end && index < size; index++) out[write++] = out[index]!;
    read = end;
  }
  return write;
}
