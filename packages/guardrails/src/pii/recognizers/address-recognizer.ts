import type { RawPiiMatch } from '../pii-entity';
import { letterKindOf as slowLetterKind, letterTables, lowerCodeOf as slowLowerCode } from '../names/letter-case';
import * as words from './address-words';

// Module-local bindings: reading another module's export goes through a getter in some loaders.
const { COMPOUND_SUFFIXES } = words;

// Which word lists a lower-case word is on, as bits: a word read looks itself up once, and every
// later list test is a bit test instead of a set lookup.
const BOX_WORDS_BIT = 1 << 0;
const CALENDAR_WORDS_BIT = 1 << 1;
const COMPASS_BIT = 1 << 2;
const CONNECTORS_BIT = 1 << 3;
const DIRECTIONS_BIT = 1 << 4;
const ENGLISH_PREFIX_TYPES_BIT = 1 << 5;
const NUMBERED_TYPES_BIT = 1 << 6;
const PREFIX_TYPES_BIT = 1 << 7;
const REGION_CODES_BIT = 1 << 8;
const LOWER_CASE_STOPS_BIT = 1 << 9;
const LOWER_CASE_TYPES_BIT = 1 << 10;
const STANDALONE_UNITS_BIT = 1 << 11;
const STATE_NAMES_BIT = 1 << 12;
const SUFFIX_TYPES_BIT = 1 << 13;
const UNIT_WORDS_BIT = 1 << 14;
const WORD_KINDS: ReadonlyMap<string, number> = listBits([
  [words.BOX_WORDS, BOX_WORDS_BIT], [words.CALENDAR_WORDS, CALENDAR_WORDS_BIT], [words.COMPASS, COMPASS_BIT],
  [words.CONNECTORS, CONNECTORS_BIT], [words.DIRECTIONS, DIRECTIONS_BIT], [words.ENGLISH_PREFIX_TYPES, ENGLISH_PREFIX_TYPES_BIT],
  [words.NUMBERED_TYPES, NUMBERED_TYPES_BIT], [words.PREFIX_TYPES, PREFIX_TYPES_BIT], [words.REGION_CODES, REGION_CODES_BIT],
  [words.LOWER_CASE_STOPS, LOWER_CASE_STOPS_BIT], [words.LOWER_CASE_TYPES, LOWER_CASE_TYPES_BIT],
  [words.STANDALONE_UNITS, STANDALONE_UNITS_BIT], [words.STATE_NAMES, STATE_NAMES_BIT], [words.SUFFIX_TYPES, SUFFIX_TYPES_BIT],
  [words.UNIT_WORDS, UNIT_WORDS_BIT],
]);
function listBits(lists: readonly (readonly [ReadonlySet<string>, number])[]): Map<string, number> {
  const kinds = new Map<string, number>();
  for (const [list, bit] of lists) for (const word of list) kinds.set(word, (kinds.get(word) ?? 0) | bit);
  return kinds;
}

// Local copies of the tables: a call into another module's export costs a getter in some loaders.
let KIND: Uint8Array | undefined;
let LOWER: Uint16Array | undefined;
const letterKindOf = (code: number): number => (code < 0x2000 ? KIND![code]! : slowLetterKind(code));
const lowerCodeOf = (code: number): number => (code < 0x2000 ? LOWER![code]! : slowLowerCode(code));
function ensureTables(): void {
  if (KIND !== undefined) return;
  const tables = letterTables();
  KIND = tables.kind;
  LOWER = tables.lower;
}

/**
 * Street addresses (type `STREET_ADDRESS`), found from the digits they contain: a house number with
 * its street ("90 Whitchurch Road", "3600 West 5th Ave.", "12 rue de la Paix", "Friedhofstrasse 33",
 * "Via Roma 12", "55 West Cermak"), a box ("P.O. Box 123"), a unit on its own ("Apt. 4B"), a US
 * "City, ST 12345" tail or a UK/Canadian postcode; then extended over what follows on the same
 * address: "Apt. 4", "# 12", ", Springfield, IL 62704", "\n75001 Paris". Hand-written rules from
 * general postal formats (no data set's rows). Only digit runs start work, a run is rejected from
 * the characters around it before any word is read, and each candidate looks at most a few words
 * either side, so the scan is linear and allocates only for candidates.
 */

const MAX_NAME_WORDS = 6;
const MAX_EXTENSIONS = 5;

const isDigit = (code: number): boolean => code >= 48 && code <= 57;
const isLetter = (code: number): boolean => (code < 128 ? (code | 32) >= 97 && (code | 32) <= 122 : letterKindOf(code) !== 0);
const isUpper = (code: number): boolean => (code < 128 ? code >= 65 && code <= 90 : letterKindOf(code) === 2);
const isBlank = (code: number): boolean => code === 32 || code === 9 || code === 160;

/** A word of the text: [start, end), its lower-case form only when short enough to be a keyword. */
interface Word {
  start: number;
  end: number;
  /** First character upper-case. */
  capital: boolean;
  /** Contains a digit. */
  digits: boolean;
  /** Only digits (optionally one letter, or a "12-14" / "12/3" range): a house number. */
  number: boolean;
  /** Count of digits. */
  digitCount: number;
  lower: string;
  /** The `*_BIT`s of the lists holding `lower`. */
  kinds: number;
}

const listed = (word: Word, bit: number): boolean => (word.kinds & bit) !== 0;

// The rules around one number read the same few words again (street, then tail, then the street
// before it): the words read are kept by start, one slot per start modulo CACHE_SIZE (a probe is one
// comparison; words of one address lie within a few dozen characters), and forgotten when a scan
// begins (comparing texts instead could cost a full comparison per word).
const CACHE_SIZE = 64;
const cachedStarts = new Int32Array(CACHE_SIZE).fill(-1);
const cachedWords: (Word | undefined)[] = new Array<Word | undefined>(CACHE_SIZE);

function readWord(text: string, start: number): Word | undefined {
  const slot = start & (CACHE_SIZE - 1);
  if (cachedStarts[slot] === start) return cachedWords[slot];
  const word = scanWord(text, start);
  cachedStarts[slot] = start;
  cachedWords[slot] = word;
  return word;
}

function scanWord(text: string, start: number): Word | undefined {
  const length = text.length;
  let index = start;
  let digits = 0;
  let letters = 0;
  let joins = 0;
  let uppers = 0;
  let ascii = true;
  while (index < length) {
    const code = text.charCodeAt(index);
    if (isDigit(code)) digits++;
    else if (isLetter(code)) letters++;
    else if ((code === 39 || code === 0x2019 || code === 45 || code === 47) && index > start && index + 1 < length && (isLetter(text.charCodeAt(index + 1)) || isDigit(text.charCodeAt(index + 1)))) joins++;
    else break;
    if (code >= 65 && code <= 90) uppers++;
    else if (code >= 128) ascii = false;
    index++;
  }
  if (index === start) return undefined;
  // The word's characters end here; an abbreviation dot after them is not in its lower-case form.
  const wordEnd = index;
  // An abbreviation keeps its dot ("St.", "Apt.", "S.").
  if (index < length && text.charCodeAt(index) === 46 && letters > 0 && letters <= 4 && digits === 0) index++;
  // Keywords are short: longer words get no lower-case form (and match no list).
  const lower = index - start <= 24 ? lowerForm(text, start, wordEnd, ascii ? uppers : -1) : '';
  const first = text.charCodeAt(start);
  return {
    start,
    end: index,
    capital: isUpper(first),
    digits: digits > 0,
    number: digits > 0 && digits <= 8 && letters <= 1 && joins <= 1 && isDigit(first),
    digitCount: digits,
    lower,
    kinds: lower.length === 0 ? 0 : (WORD_KINDS.get(lower) ?? 0),
  };
}

/** One-character strings of the ASCII lower-case letters, by the upper-case code. */
const LOWER_ASCII: readonly string[] = Array.from({ length: 91 }, (_, code) => String.fromCharCode(code | 32));

/**
 * `text.slice(start, end).toLowerCase()`. toLowerCase is a runtime call: for the common ASCII
 * words (lower case, or capitalized) the same string is built without it. `uppers` is the count of
 * A–Z in the word, or -1 when it has other than ASCII characters.
 */
function lowerForm(text: string, start: number, end: number, uppers: number): string {
  if (uppers === 0) return text.slice(start, end);
  const first = text.charCodeAt(start);
  if (uppers === 1 && first >= 65 && first <= 90) return LOWER_ASCII[first]! + text.slice(start + 1, end);
  return text.slice(start, end).toLowerCase();
}

/** The word after `from`, skipping blanks only (not line breaks); `undefined` at punctuation or a line end. */
function wordAfter(text: string, from: number): Word | undefined {
  let index = from;
  while (index < text.length && isBlank(text.charCodeAt(index))) index++;
  if (index === from && index < text.length && from > 0) return undefined;
  return readWord(text, index);
}

/** The word ending right before `end` (one or more blanks between), or `undefined`. */
function wordBefore(text: string, end: number): Word | undefined {
  let index = end;
  while (index > 0 && isBlank(text.charCodeAt(index - 1))) index--;
  if (index === end || index === 0) return undefined;
  return wordEndingAt(text, index);
}

/** The word ending exactly at `index` (a trailing abbreviation dot allowed), or `undefined`. */
function wordEndingAt(text: string, index: number): Word | undefined {
  let start = index;
  if (text.charCodeAt(start - 1) === 46) start--;
  while (start > 0 && index - start < 40) {
    const code = text.charCodeAt(start - 1);
    if (isLetter(code) || isDigit(code) || code === 39 || code === 45) start--;
    else break;
  }
  if (start === index) return undefined;
  const word = readWord(text, start);
  // A long abbreviation with its dot ("Hauptstr. 5"); a copy, the read word may be cached.
  if (word && word.end === index - 1 && text.charCodeAt(word.end) === 46) return { ...word, end: index };
  return word && word.end === index ? word : undefined;
}

/** "Friedhofstrasse", "Mannerheimintie": a short ending needs a long word ("Katie", "Brigade", "Spring" are not streets). */
/** Last two characters as one small integer (15 bits each: no heap number per lookup). */
const endKey = (word: string): number => ((word.charCodeAt(word.length - 2) & 0x7fff) << 15) | (word.charCodeAt(word.length - 1) & 0x7fff);
/**
 * The compound endings by their last two letters: most words are rejected by one map lookup, and a
 * common English ending ("-er", "-en", "-el") tries only the few endings that share it.
 */
const COMPOUND_BY_END: ReadonlyMap<number, readonly string[]> = groupBy(COMPOUND_SUFFIXES, endKey);
function groupBy(list: readonly string[], key: (value: string) => number): Map<number, string[]> {
  const groups = new Map<number, string[]>();
  for (const value of list) {
    const group = groups.get(key(value));
    if (group) group.push(value);
    else groups.set(key(value), [value]);
  }
  return groups;
}
function isCompoundStreet(word: Word): boolean {
  const lower = word.lower;
  if (!word.capital || lower.length < 5 || word.digits) return false;
  const suffixes = COMPOUND_BY_END.get(endKey(lower));
  if (suffixes === undefined || lower.endsWith('ing')) return false;
  // "Hauptstr." is written abbreviated: 'str' needs fewer letters before it than other short endings.
  for (const suffix of suffixes) if (lower.endsWith(suffix) && lower.length >= suffix.length + (suffix === 'str' ? 4 : suffix.length <= 4 ? 6 : 2)) return true;
  return false;
}
/** A prefix street type ("rue", "Via"); English words among them only capitalized. */
const isPrefixType = (word: Word): boolean => listed(word, PREFIX_TYPES_BIT) && (word.capital || !listed(word, ENGLISH_PREFIX_TYPES_BIT));
/** Endings of a digit ordinal ("5th", "1er", "2ème", "3º"). */
const ORDINAL_ENDINGS: readonly string[] = ['st', 'nd', 'rd', 'th', 'e', 'er', 'ème', 'º', 'ª'];
/** Digits then an ordinal ending: compared in place, a regex call per word costs more. */
function isOrdinal(word: Word): boolean {
  if (!word.digits) return false;
  const lower = word.lower;
  let digits = 0;
  while (digits < lower.length && isDigit(lower.charCodeAt(digits))) digits++;
  if (digits === 0) return false;
  const rest = lower.length - digits;
  for (const ending of ORDINAL_ENDINGS) if (ending.length === rest && lower.startsWith(ending, digits)) return true;
  return false;
}
const isNameWord = (word: Word): boolean =>
  ((word.capital && !word.number && !word.digits) || isOrdinal(word) || listed(word, DIRECTIONS_BIT)) && !listed(word, CALENDAR_WORDS_BIT);
/** "12345", "12345-6789", "123456789", "1234": a postcode-sized number (checked in place, no regex call). */
function isPostcode(word: Word): boolean {
  if (word.digitCount < 4 || word.digitCount > 9) return false;
  const lower = word.lower;
  // With 4–9 digits counted, only digits (or five, a hyphen, four) leave the length at the count.
  if (lower.length === word.digitCount) return allDigits(lower, 0, lower.length);
  return lower.length === 10 && lower.charCodeAt(5) === 45 && allDigits(lower, 0, 5) && allDigits(lower, 6, 10);
}
function allDigits(value: string, from: number, to: number): boolean {
  for (let at = from; at < to; at++) if (!isDigit(value.charCodeAt(at))) return false;
  return true;
}
const isZip = (word: Word): boolean => isPostcode(word) && word.digitCount !== 4;

/** Set by extend(): whether it took in a unit, a state code or a postcode (not just a city line). */
let strongTail = false;
/** Set by extend(): where the first token that made the tail strong starts. */
let strongAt = -1;

/**
 * How far before the token that decides it an address may start. Stream redaction holds back the
 * last token and 24 characters before it (`minHoldChars`): a rule that looked further back could see
 * its first words released before the token that confirms them arrives.
 */
export const ADDRESS_REACH = 24;

/**
 * The street part starting with the house number `number`: number, then up to six name words,
 * ending with a street type ("90 Whitchurch Road") or a compound street name ("12 Friedhofstrasse"),
 * or a prefix type and its name ("12 rue de la Paix"). Returns its end, or minus the end of a
 * typeless name ("908 W. Madison") that needs a strong tail, or -1.
 */
function streetAfterNumber(text: string, number: Word): number {
  let word = wordAfter(text, number.end);
  // "12, rue de la Paix": French and Belgian write a comma after the number.
  if (!word && text.charCodeAt(number.end) === 44 && isBlank(text.charCodeAt(number.end + 1))) {
    word = wordAfter(text, number.end + 1);
    if (!word || !listed(word, PREFIX_TYPES_BIT)) return -1;
  }
  if (!word) return -1;
  if (isPrefixType(word) || isCompoundStreet(word)) {
    if (!isPrefixType(word)) return word.end;
    let end = word.end;
    let names = 0;
    let last: Word = word;
    for (let next = wordAfter(text, end); next && names < MAX_NAME_WORDS; next = wordAfter(text, end)) {
      if (listed(next, CONNECTORS_BIT) || isNameWord(next)) {
        end = next.end;
        last = next;
        if (!listed(next, CONNECTORS_BIT)) names++;
      } else break;
    }
    // "Highway 179", "Avenue H", "Al Highway 157".
    if (names === 0 || (last.capital && listed(last, SUFFIX_TYPES_BIT))) {
      const numbered = afterType(text, end, names === 0 ? ROUTE : last);
      if (numbered > end) return numbered;
    }
    return names > 0 ? end : -1;
  }
  let names = 0;
  let typed = -1;
  let typeWord: Word | undefined;
  let last = number.end;
  let compass = false;
  let long = false;
  // The last street type within reach wins ("8128 S. DR MARTIN LUTHER KING JR Drive").
  for (; word && names <= MAX_NAME_WORDS; word = wordAfter(text, word.end)) {
    // A type first seen beyond ADDRESS_REACH would decide the start too late for a stream.
    if (names > 0 && listed(word, SUFFIX_TYPES_BIT) && word.capital && (typed > 0 || word.start - number.start <= ADDRESS_REACH)) {
      typed = word.end;
      typeWord = word;
    } else if (isCompoundStreet(word) && (typed > 0 || word.start - number.start <= ADDRESS_REACH)) {
      typed = word.end;
      typeWord = undefined;
    } else if (listed(word, UNIT_WORDS_BIT) || !isNameWord(word)) break;
    if (names === 0 && listed(word, COMPASS_BIT)) compass = true;
    else if (word.lower.length >= 2 && !listed(word, DIRECTIONS_BIT)) long = true;
    last = word.end;
    names++;
  }
  if (typed > 0) return afterType(text, typed, typeWord);
  // "55 West Cermak": a compass direction and a name.
  if (compass && long && names >= 2 && names <= 3) return last;
  // No street type ("908 W. Madison, Chicago, IL 60607"): a street only if a strong tail follows.
  return long && names <= 3 ? -last : -1;
}

/**
 * A street written in lower case: "430 webster st", "317 conniston road" — one to three lower-case
 * name words and a street type. An abbreviated type ends it; a full one ("road") needs a unit, state
 * or postcode after it. Returns the end, or -1.
 */
function lowerCaseStreet(text: string, number: Word): number {
  let names = 0;
  for (let word = wordAfter(text, number.end); word && names <= 3; word = wordAfter(text, word.end)) {
    if (word.capital || word.start - number.start > ADDRESS_REACH) return -1;
    if (names > 0 && (listed(word, LOWER_CASE_TYPES_BIT) || listed(word, SUFFIX_TYPES_BIT))) {
      const end = afterType(text, word.end, word);
      if (listed(word, LOWER_CASE_TYPES_BIT)) return end;
      const tail = extend(text, end);
      return strongTail && strongAt - number.start <= ADDRESS_REACH && tail > end ? end : -1;
    }
    if (word.digits ? !isOrdinal(word) : listed(word, LOWER_CASE_STOPS_BIT) || word.lower.length < 2 && !listed(word, COMPASS_BIT)) return -1;
    names++;
  }
  return -1;
}

const ROUTE: Word = { start: 0, end: 0, capital: true, digits: false, number: false, digitCount: 0, lower: 'route', kinds: WORD_KINDS.get('route')! };

/** After a street type: a route number ("Highway 763", "Route # A") and a post-direction ("Avenue NW"). */
function afterType(text: string, end: number, type: Word | undefined): number {
  if (type && listed(type, NUMBERED_TYPES_BIT)) {
    let at = end;
    while (at < text.length && isBlank(text.charCodeAt(at))) at++;
    if (text.charCodeAt(at) === 35) at++;
    const next = wordAfter(text, at) ?? readWord(text, at);
    if (next && (next.number || (next.end - next.start === 1 && next.capital)) && next.digitCount < 5) end = next.end;
  }
  const direction = wordAfter(text, end);
  if (direction && listed(direction, COMPASS_BIT) && (direction.capital || direction.lower.length > 2)) end = direction.end;
  return end;
}

/**
 * The street part ending with the house number `number`: "Friedhofstrasse 33", "Via Roma 12",
 * "Rue de Virton 38". Returns its start, or -2 - start for a name with a street type before the
 * number ("Iroon Polytechniou Avenue 175") that needs a postcode or city after it, or -1.
 */
function streetBeforeNumber(text: string, first: Word | undefined, limit: number): number {
  if (!first || first.number || listed(first, CALENDAR_WORDS_BIT) || first.start < limit) return -1;
  if (isCompoundStreet(first)) return first.start;
  // "Iroon Polytechniou Avenue 175": a capitalized type right before the number, names before it.
  if (first.capital && listed(first, SUFFIX_TYPES_BIT) && first.lower.length > 2) {
    let start = -1;
    let word = wordBefore(text, first.start);
    for (let steps = 0; word && steps < 3 && word.start >= limit && word.capital && !word.digits && !listed(word, CALENDAR_WORDS_BIT); steps++) {
      start = word.start;
      word = wordBefore(text, word.start);
    }
    if (start >= 0) return -2 - start;
  }
  // "Via Roma 12", "Rue de Virton 38": a prefix type a few name words back.
  let word: Word | undefined = first;
  for (let steps = 0; word && word.start >= limit && steps <= MAX_NAME_WORDS; steps++) {
    if (isPrefixType(word) && (word.capital || steps > 0)) return steps > 0 ? word.start : -1;
    if (!(word.capital || listed(word, CONNECTORS_BIT)) || word.digits || listed(word, CALENDAR_WORDS_BIT)) break;
    word = wordBefore(text, word.start);
  }
  return -1;
}

/** Marks the tail strong, decided by the token ending at `decidedEnd` (strongAt: where that token starts). */
function markStrong(text: string, decidedEnd: number): void {
  if (!strongTail) {
    let at = decidedEnd;
    while (at > 0 && decidedEnd - at < 40 && !isBlank(text.charCodeAt(at - 1)) && text.charCodeAt(at - 1) !== 10 && text.charCodeAt(at - 1) !== 44) at--;
    strongAt = at;
  }
  strongTail = true;
}

/** Extends an address over units, postcodes, cities and states that follow it; sets strongTail. */
function extend(text: string, end: number): number {
  strongTail = false;
  strongAt = -1;
  // After a state or postcode only units may follow: the next capitalized line is not a city.
  let closed = false;
  for (let round = 0; round < MAX_EXTENSIONS; round++) {
    let index = end;
    let comma = false;
    let newline = false;
    while (index < text.length) {
      const code = text.charCodeAt(index);
      if (code === 44 && !comma && !newline) comma = true;
      else if (code === 10 && !newline) newline = true;
      else if (!isBlank(code) && code !== 13) break;
      index++;
    }
    if (index === end) return end;
    // "# 1506", "#12".
    if (text.charCodeAt(index) === 35) {
      const number = wordAfter(text, index + 1) ?? readWord(text, index + 1);
      if (number && (number.number || (number.end - number.start === 1 && number.capital))) {
        end = number.end;
        markStrong(text, end);
        continue;
      }
      return end;
    }
    const word = readWord(text, index);
    if (!word) return end;
    // A post-direction: ", NE", " N.W.".
    if (round === 0 && !newline && word.capital && word.end - word.start <= 3 && listed(word, COMPASS_BIT) && !isPostcode(wordAfter(text, word.end) ?? word)) {
      end = word.end;
      if (text.charCodeAt(end - 1) === 46 && isUpper(text.charCodeAt(end)) && text.charCodeAt(end + 1) === 46) end += 2;
      continue;
    }
    // A unit: "Apt. 4", "Suite 510".
    if (listed(word, UNIT_WORDS_BIT)) {
      let at = word.end;
      while (at < text.length && isBlank(text.charCodeAt(at))) at++;
      if (text.charCodeAt(at) === 35) at++;
      const number = wordAfter(text, at) ?? readWord(text, at);
      if (number && (number.digits || (number.end - number.start === 1 && number.capital))) {
        end = number.end;
        markStrong(text, end);
        continue;
      }
      return end;
    }
    // "41st Floor", "3rd Flr".
    if (word.digits && !word.number) {
      const unit = wordAfter(text, word.end);
      if (unit && listed(unit, UNIT_WORDS_BIT)) {
        end = unit.end;
        markStrong(text, end);
        continue;
      }
    }
    // A postcode, maybe followed by its city: "75001 Paris", "62704", "SW1A 1AA".
    const foreign = postcodeAt(text, index);
    if (isPostcode(word) || foreign > 0) {
      end = foreign > 0 ? foreign : word.end;
      const city = cityAfter(text, end);
      // A four-digit number alone may be a year ("IST 2015"); with its city it is a postcode.
      if (foreign > 0 || word.digitCount !== 4) markStrong(text, end);
      else if (city > 0) markStrong(text, city);
      if (city > 0 && (lineEndsAt(text, city) || cityEndsAt(text, city))) end = city;
      closed = true;
      continue;
    }
    // A suite number right after the street: "101 W. Grand Ave. 600, Chicago", "111 W. Monroe, 12C,".
    if (round === 0 && !newline && word.number && word.digitCount <= 3 && word.end - word.start <= 4) {
      const next = stateOrPostcode(text, word.end, true) > 0 || lineEndsAt(text, word.end) ? -1 : word.end;
      if (next > 0 && text.charCodeAt(next) === 44) {
        end = next;
        continue;
      }
      return end;
    }
    // A lower-case city, state and ZIP ("boca raton fl 33498-6903"): only with the ZIP.
    if (!word.capital && !word.digits && !closed) {
      const tail = lowerCaseTail(text, word);
      if (tail > 0) {
        end = tail;
        markStrong(text, end);
        closed = true;
        continue;
      }
      return end;
    }
    // A city (and state, postcode): only when a state or postcode follows, or (after a comma or a
    // line break) the line ends there.
    if (word.capital && !word.digits && !closed) {
      const cityEnd = cityAfter(text, index - 1, word);
      if (cityEnd < 0) return end;
      const tail = stateOrPostcode(text, cityEnd, comma || newline);
      if (tail > 0) {
        end = tail;
        markStrong(text, end);
        closed = true;
        continue;
      }
      if ((comma || newline) && lineEndsAt(text, cityEnd)) {
        end = cityEnd;
        continue;
      }
      return end;
    }
    return end;
  }
  return end;
}

/** "palo alto, ca 94301", "dallas tx 75312": up to three lower-case words, a region code or not, then a ZIP; its end or -1. */
function lowerCaseTail(text: string, first: Word): number {
  let word: Word | undefined = first;
  for (let count = 0; word && count < 5; count++) {
    // A ZIP, not a four-digit number: "tablets of 2014" is a year.
    if (isZip(word)) return count > 0 ? word.end : -1;
    if (word.capital || word.digits || (count >= 3 && !(word.end - word.start === 2 && listed(word, REGION_CODES_BIT)))) return -1;
    let at = word.end;
    if (text.charCodeAt(at) === 44) at++;
    word = wordAfter(text, at);
  }
  return -1;
}

/** End of a run of up to three capitalized words starting after `from` (or at `first`), or -1. */
function cityAfter(text: string, from: number, first?: Word): number {
  let word = first ?? wordAfter(text, from);
  if (!word || !word.capital || word.digits || listed(word, CALENDAR_WORDS_BIT)) return -1;
  let end = word.end;
  for (let count = 1; count < 3; count++) {
    const next = wordAfter(text, end);
    if (!next || next.digits || !(next.capital || listed(next, CONNECTORS_BIT))) break;
    if (listed(next, UNIT_WORDS_BIT) || (listed(next, REGION_CODES_BIT) && next.end - next.start === 2)) break;
    end = next.end;
    word = next;
  }
  return end;
}

/** A two-letter upper-case region code ("IL", "ON") at `word`. */
const isRegionCode = (text: string, word: Word): boolean =>
  word.end - word.start === 2 && isUpper(text.charCodeAt(word.start)) && isUpper(text.charCodeAt(word.start + 1)) && listed(word, REGION_CODES_BIT);

/**
 * After a city: ", IL 62704", " CA", " 62704", ", Georgia 30024" → the new end, or -1. A bare
 * region code counts only after a comma was seen (`loose`) or with a comma of its own.
 */
function stateOrPostcode(text: string, from: number, loose: boolean): number {
  let index = from;
  let comma = false;
  if (text.charCodeAt(index) === 44) {
    index++;
    comma = true;
  }
  const word = wordAfter(text, index);
  if (!word) return -1;
  if (isPostcode(word)) return word.end;
  const foreign = postcodeAt(text, word.start);
  if (foreign > 0) return foreign;
  if (isRegionCode(text, word) || (word.capital && listed(word, STATE_NAMES_BIT))) {
    const postcode = wordAfter(text, word.end);
    if (postcode && isPostcode(postcode)) return postcode.end;
    const canadian = postcode ? postcodeAt(text, postcode.start) : -1;
    if (canadian > 0) return canadian;
    return isRegionCode(text, word) && (comma || loose) ? word.end : -1;
  }
  return -1;
}

/** After "10115 Berlin": punctuation or a lower-case word ends the city there ("10115 Berlin schicken"). */
function cityEndsAt(text: string, index: number): boolean {
  let at = index;
  while (at < text.length && isBlank(text.charCodeAt(at))) at++;
  if (at >= text.length) return true;
  const code = text.charCodeAt(at);
  return code === 44 || code === 46 || code === 59 || code === 41 || code === 33 || code === 63 || (isLetter(code) && !isUpper(code));
}

function lineEndsAt(text: string, index: number): boolean {
  let at = index;
  while (at < text.length && (isBlank(text.charCodeAt(at)) || text.charCodeAt(at) === 44 || text.charCodeAt(at) === 46)) at++;
  return at >= text.length || text.charCodeAt(at) === 10 || text.charCodeAt(at) === 13;
}

const isUpperAscii = (code: number): boolean => code >= 65 && code <= 90;
const isAlnum = (code: number): boolean => isDigit(code) || isLetter(code);

/**
 * A UK ("SW1A 1AA", "M1 1AE") or Canadian ("K1A 0B1") postcode starting at `start`: its end, or -1.
 * Upper-case only, bounded on both sides.
 */
function postcodeAt(text: string, start: number): number {
  if (start > 0 && isAlnum(text.charCodeAt(start - 1))) return -1;
  const c0 = text.charCodeAt(start);
  if (!isUpperAscii(c0)) return -1;
  // Canadian: A9A 9A9.
  if (isDigit(text.charCodeAt(start + 1)) && isUpperAscii(text.charCodeAt(start + 2)) && text.charCodeAt(start + 3) === 32 && isDigit(text.charCodeAt(start + 4)) && isUpperAscii(text.charCodeAt(start + 5)) && isDigit(text.charCodeAt(start + 6))) {
    return isAlnum(text.charCodeAt(start + 7)) ? -1 : start + 7;
  }
  // UK outward code: A9, A99, AA9, AA99, A9A, AA9A; then a space and 9AA.
  let at = start + 1;
  if (isUpperAscii(text.charCodeAt(at))) at++;
  if (!isDigit(text.charCodeAt(at))) return -1;
  at++;
  if (isDigit(text.charCodeAt(at)) || isUpperAscii(text.charCodeAt(at))) at++;
  if (text.charCodeAt(at) !== 32) return -1;
  at++;
  if (!isDigit(text.charCodeAt(at)) || !isUpperAscii(text.charCodeAt(at + 1)) || !isUpperAscii(text.charCodeAt(at + 2))) return -1;
  return isAlnum(text.charCodeAt(at + 3)) ? -1 : at + 3;
}

/**
 * A US "City, ST 12345" (or "City, State 12345") ending with the ZIP `zip`, with no house number
 * before it: the start of the city, or of the named place before it ("Union Station, Washington,
 * DC 20001"), or -1.
 */
function cityStateBeforeZip(text: string, stateWord: Word | undefined, covered: number): number {
  let state = stateWord;
  if (!state) return -1;
  if (!isRegionCode(text, state)) {
    if (!(state.capital && listed(state, STATE_NAMES_BIT))) return -1;
    const first = wordBefore(text, state.start);
    if (first && first.capital && (first.lower === 'new' || first.lower === 'north' || first.lower === 'south' || first.lower === 'west' || first.lower === 'rhode' || first.lower === 'district' || first.lower === 'puerto')) state = first;
  }
  // The city: capitalized words before ", ST" (the comma is required).
  let at = separatorBefore(text, state.start);
  if (at < 0) return -1;
  const start = capitalRunBefore(text, at, 3, covered);
  if (start < 0) return -1;
  // One more part of capitalized words: the street or place ("Main, Ashland, NH 03217").
  at = separatorBefore(text, start);
  if (at >= 0) {
    const place = capitalRunBefore(text, at, 5, covered);
    if (place >= 0) return place;
  }
  return start;
}

/** The index of the comma or line break (blanks around it skipped) that ends the part before `start`, or -1. */
function separatorBefore(text: string, start: number): number {
  let at = start;
  while (at > 0 && (isBlank(text.charCodeAt(at - 1)) || text.charCodeAt(at - 1) === 13)) at--;
  const code = text.charCodeAt(at - 1);
  if (code !== 44 && code !== 10) return -1;
  at--;
  while (at > 0 && (isBlank(text.charCodeAt(at - 1)) || text.charCodeAt(at - 1) === 13)) at--;
  return at;
}

/** Start of up to `max` capitalized words ending at `end` (blanks before `end` skipped), or -1. */
function capitalRunBefore(text: string, end: number, max: number, covered: number): number {
  let word = end > 0 ? wordEndingAt(text, end) : undefined;
  let start = -1;
  for (let count = 0; word && count < max; count++) {
    if (word.start < covered || !(word.capital || (count > 0 && listed(word, CONNECTORS_BIT))) || word.digits || listed(word, CALENDAR_WORDS_BIT)) break;
    start = word.start;
    word = wordBefore(text, word.start);
  }
  return start;
}

/** Whether the characters around the digit run [start, end) can belong to an address at all. */
function plausibleRun(text: string, start: number, end: number): boolean {
  const next = end < text.length ? text.charCodeAt(end) : 10;
  // Times, phone numbers, dates, versions, decimals: "14:30", "555-1234", "1.2", "4/5/20".
  if ((next === 58 || next === 46 || next === 44 || next === 45 || next === 47) && isDigit(text.charCodeAt(end + 1))) {
    // Except a house-number range "9208-9214 South", "302-573 west".
    if (next !== 45) return false;
  }
  return true;
}

const alternation = (list: Iterable<string>): string => [...list].sort((a, b) => b.length - a.length).map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
/** At a lower-case word after a number: a prefix type or direction, or up to three words and a street type. */
const LOWER_STREET_AHEAD = new RegExp(
  `(?:${alternation(new Set([...words.PREFIX_TYPES, ...words.DIRECTIONS]))})(?![\\p{L}\\p{N}])|(?:[\\p{Ll}\\p{N}]+[ \\t]+){1,3}(?:${alternation(new Set([...words.LOWER_CASE_TYPES, ...words.SUFFIX_TYPES]))})(?![\\p{L}\\p{N}])`,
  'iuy',
);

/**
 * Whether the run [start, end) has a neighbour an address rule could use, judged from a few
 * characters: after it (same line) a capitalized word, a digit ordinal ("5th"), '#', or a
 * lower-case street word ("rue", "via", "n."); before it a capitalized word, an abbreviation dot,
 * '#', or "box". Rejects most numbers (amounts, phone groups, counts) before any word is read.
 */
function wordBesideRun(text: string, start: number, end: number): boolean {
  const length = text.length;
  let before = start;
  while (before > 0 && isBlank(text.charCodeAt(before - 1))) before--;
  // "Calle Mayor, 5".
  if (before < start && before > 1 && text.charCodeAt(before - 1) === 44 && isLetter(text.charCodeAt(before - 2))) before--;
  if (before > 0) {
    const code = text.charCodeAt(before - 1);
    if (code === 35 || (code === 46 && before < start)) return true;
    if (before < start && isLetter(code)) {
      let wordStart = before - 1;
      while (wordStart > 0 && isLetter(text.charCodeAt(wordStart - 1))) wordStart--;
      if (isUpper(text.charCodeAt(wordStart))) return true;
      // "po box 6814".
      if (before - wordStart === 3 && (text.charCodeAt(wordStart) | 32) === 98 && (text.charCodeAt(wordStart + 2) | 32) === 120) return true;
    }
  }
  let after = end;
  // A one-letter suffix ("6257A"), a range or fraction ("9208-9214", "123 1/2").
  if (after < length && isLetter(text.charCodeAt(after)) && !isAlnum(text.charCodeAt(after + 1))) after++;
  else if (after < length && (text.charCodeAt(after) === 45 || text.charCodeAt(after) === 47)) {
    after++;
    while (after < length && isAlnum(text.charCodeAt(after))) after++;
  }
  // "12, rue de la Paix".
  if (text.charCodeAt(after) === 44 && after + 1 < length && isBlank(text.charCodeAt(after + 1))) after++;
  if (after >= length || !isBlank(text.charCodeAt(after))) return false;
  while (after < length && isBlank(text.charCodeAt(after))) after++;
  if (after >= length) return false;
  const code = text.charCodeAt(after);
  if (code === 35 || isUpper(code)) return true;
  if (isDigit(code)) {
    // An ordinal ("5th Ave") or a fraction ("1/2"), not a second number group.
    let at = after;
    while (at < length && isDigit(text.charCodeAt(at))) at++;
    return at < length && (isLetter(text.charCodeAt(at)) || text.charCodeAt(at) === 47);
  }
  // A lower-case word: a prefix type or direction right after the number, or one to three words
  // and a street type ("430 webster st"); one sticky regex decides without reading words.
  if (!isLetter(code)) return false;
  LOWER_STREET_AHEAD.lastIndex = after;
  return LOWER_STREET_AHEAD.test(text);
}

const DIGIT = /[0-9]/g;

/** Finds street addresses (type `STREET_ADDRESS`). */
export function recognizeAddresses(text: string, out: RawPiiMatch[]): void {
  ensureTables();
  cachedStarts.fill(-1);
  const length = text.length;
  let covered = 0;
  let index = 0;
  let joins = 0;
  while (index < length) {
    // The regex engine finds the next digit faster than a loop over charCodeAt.
    DIGIT.lastIndex = index;
    if (!DIGIT.test(text)) return;
    const runStart = DIGIT.lastIndex - 1;
    index = runStart;
    while (index < length && isDigit(text.charCodeAt(index))) index++;
    const previous = runStart > 0 ? text.charCodeAt(runStart - 1) : 32;
    if (isLetter(previous)) {
      // Inside a word: only a UK or Canadian postcode starts this way ("SW1A 1AA", "K1A 0B1").
      const tokenStart = runStart - (runStart > 1 && isUpperAscii(text.charCodeAt(runStart - 2)) ? 2 : 1);
      if (tokenStart >= covered && isUpperAscii(previous)) {
        const end = postcodeAt(text, tokenStart);
        if (end > 0) {
          const extended = extend(text, end);
          out.push({ type: 'STREET_ADDRESS', start: tokenStart, end: extended, score: 0.7 });
          covered = extended;
          index = Math.max(index, extended);
        }
      }
      continue;
    }
    if (isDigit(previous) || previous === 46 || previous === 45 || previous === 43 || previous === 47 || previous === 58 || runStart < covered) continue;
    if (!plausibleRun(text, runStart, index)) continue;
    // Most numbers (amounts, phone groups, counts before a lower-case word) have no word beside
    // them that an address could start with: reject them before reading any word.
    if (!wordBesideRun(text, runStart, index)) continue;
    const word = readWord(text, runStart);
    if (!word || !word.number) continue;
    index = Math.max(index, word.end);
    if (!addressAt(text, word, covered)) continue;
    // A tail found on its own right after an address ("…Monroe, 12C, Chicago, IL 60603") joins it.
    const last = out.length > 0 ? out[out.length - 1]! : undefined;
    // At most two tails join one address (a unit, then "City, ST ZIP"): a run of boxes stays apart.
    if (foundTail && joins < 2 && last && last.type === 'STREET_ADDRESS' && last.end === covered && foundDecisive - last.end <= ADDRESS_REACH && joinable(text, last.end, foundStart)) {
      last.end = foundEnd;
      last.score = Math.max(last.score, foundScore);
      joins++;
    } else {
      out.push({ type: 'STREET_ADDRESS', start: foundStart, end: foundEnd, score: foundScore });
      joins = 0;
    }
    covered = foundEnd;
    index = Math.max(index, foundEnd);
  }
}

/** Whether only blanks, commas, line breaks (two at most) and at most one short unit token ("12C", "M-9") lie in [from, to). */
function joinable(text: string, from: number, to: number): boolean {
  if (to - from > 12) return false;
  let tokens = 0;
  let newlines = 0;
  let separator = true;
  for (let at = from; at < to; at++) {
    const code = text.charCodeAt(at);
    const isSeparator = isBlank(code) || code === 44 || code === 13 || code === 10;
    if (code === 10) newlines++;
    if (!isSeparator && separator) tokens++;
    separator = isSeparator;
  }
  return tokens <= 1 && newlines <= 2;
}

let foundStart = 0;
let foundEnd = 0;
let foundScore = 0;
/** The address found is a tail (a "City, ST ZIP" without a street, a unit, a box): it may join the address before it. */
let foundTail = false;
/** Start of the token that decided the address found (its number or ZIP). */
let foundDecisive = 0;

/** The address around the house number `word`, into foundStart/foundEnd/foundScore; false if none. */
function addressAt(text: string, word: Word, covered: number): boolean {
  let start = -1;
  let end = -1;
  let score = 0.85;
  foundTail = false;
  foundDecisive = word.start;
  const before = wordBefore(text, word.start);
  if (before && listed(before, BOX_WORDS_BIT)) {
    // "P.O. Box 123", "PSC 3294", "Box # 63".
    start = before.start;
    let lead = before.start;
    while (lead > 0 && isBlank(text.charCodeAt(lead - 1))) lead--;
    const po = wordEndingAt(text, lead);
    if (po && (po.lower === 'po' || po.lower === 'p.o' || po.lower === 'o' || po.lower === 'rr' || po.lower === 'hc')) {
      start = po.lower === 'o' && text.charCodeAt(po.start - 1) === 46 && lowerCodeOf(text.charCodeAt(po.start - 2)) === 112 ? po.start - 2 : po.start;
    }
    end = word.end;
    score = 0.8;
    foundTail = true;
  } else if (before && before.capital && listed(before, STANDALONE_UNITS_BIT) && before.start >= covered) {
    // A secondary address line on its own: "Apt. 4B", "Suite 1500".
    start = before.start;
    end = word.end;
    score = 0.6;
    foundTail = true;
  } else {
    let streetEnd = streetAfterNumber(text, word);
    if (streetEnd === -1) {
      const lower = lowerCaseStreet(text, word);
      if (lower > 0) streetEnd = lower;
    }
    if (streetEnd > 0) {
      start = word.start;
      end = streetEnd;
    } else if (streetEnd < -1) {
      // A typeless street name stands only with a strong tail.
      const tail = extend(text, -streetEnd);
      if (strongTail && strongAt - word.start <= ADDRESS_REACH) {
        foundStart = word.start;
        foundEnd = tail;
        foundScore = 0.75;
        return true;
      }
    }
    if (start < 0 && isZip(word) && !hashBefore(text, word.start)) {
      const cityStart = cityStateBeforeZip(text, before, Math.max(covered, word.start - ADDRESS_REACH));
      if (cityStart >= 0) {
        start = cityStart;
        end = word.end;
        score = 0.75;
        foundTail = true;
      }
    }
    if (start < 0) {
      const streetStart = streetBeforeNumber(text, before, word.start - ADDRESS_REACH);
      if (streetStart >= 0 && streetStart >= covered) {
        start = streetStart;
        end = word.end;
        score = 0.8;
      } else if (!before && word.digitCount <= 4 && text.charCodeAt(word.start - 1) === 32 && text.charCodeAt(word.start - 2) === 44) {
        // "Calle Mayor, 5", "Rua Augusta, 100": a comma between a prefix-type street and its number.
        const name = wordBefore(text, word.start - 2) ?? wordEndingAt(text, word.start - 2);
        const nameStart = name && name.capital ? streetBeforeNumber(text, name, word.start - ADDRESS_REACH) : -1;
        if (nameStart >= 0 && nameStart >= covered && isPrefixType(readWord(text, nameStart)!)) {
          start = nameStart;
          end = word.end;
          score = 0.8;
        }
      } else if (streetStart < -1 && -2 - streetStart >= covered) {
        const tail = extend(text, word.end);
        if (!strongTail || strongAt + streetStart + 2 > ADDRESS_REACH) return false;
        foundStart = -2 - streetStart;
        foundEnd = tail;
        foundScore = 0.75;
        return true;
      }
    }
  }
  if (start < 0) return false;
  foundStart = start;
  foundEnd = extend(text, end);
  foundScore = score;
  return true;
}

function hashBefore(text: string, start: number): boolean {
  let at = start;
  while (at > 0 && isBlank(text.charCodeAt(at - 1))) at--;
  return text.charCodeAt(at - 1) === 35;
}
