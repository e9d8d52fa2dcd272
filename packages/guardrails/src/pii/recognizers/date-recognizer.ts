import type { RawPiiMatch } from '../pii-entity';
import { letterKindOf as slowLetterKind, letterTables, lowerCodeOf as slowLowerCode } from '../names/letter-case';

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
 * Dates and times (type `DATE_TIME`): ISO dates and timestamps ("2020-06-20 14:11:22"), numeric
 * dates with valid day/month ("4/14/1962", "14.04.1962"), month names with a day or year in
 * English, German, French, Spanish, Italian and Portuguese ("June 5, 2020", "5. Juni 2020",
 * "March 1988"), full weekday names, clock times ("14:30", "9:15 pm") and a bare year 1900–2099
 * after a word that introduces one ("born in 1977", "since 1990"). Linear: each word is read once.
 */

const MONTHS = new Set([
  'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
  'januar', 'februar', 'märz', 'juni', 'juli', 'oktober', 'dezember',
  'janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre',
  'enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre',
  'gennaio', 'febbraio', 'aprile', 'maggio', 'giugno', 'luglio', 'settembre', 'ottobre', 'dicembre',
  'janeiro', 'fevereiro', 'março', 'maio', 'junho', 'julho', 'setembro', 'outubro', 'novembro', 'dezembro',
]);
/** Month names that are also ordinary words: they count only next to a day or a year. */
const AMBIGUOUS_MONTHS = new Set(['may', 'mar', 'jan', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec', 'mai', 'marzo', 'mars']);
const WEEKDAYS = new Set([
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday',
  'montag', 'dienstag', 'mittwoch', 'donnerstag', 'freitag', 'samstag', 'sonntag',
  'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche',
  'lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado', 'domingo',
]);
/** Words right before a bare year that make it a date ("born in 1977"). */
const YEAR_CONTEXT = new Set(['in', 'since', 'born', 'year', 'until', 'till', 'from', 'of', 'by', 'circa', 'ca', 'before', 'after', 'during', 'early', 'late', 'mid', 'dob', 'né', 'née', 'geboren', 'im', 'seit', 'en', 'desde', 'nel', 'em']);

const isDigit = (code: number): boolean => code >= 48 && code <= 57;
const isLetter = (code: number): boolean => letterKindOf(code) !== 0;
const isBlank = (code: number): boolean => code === 32 || code === 9 || code === 160;

function digitsAt(text: string, start: number, max: number): number {
  let index = start;
  while (index < text.length && index - start < max + 1 && isDigit(text.charCodeAt(index))) index++;
  return index - start;
}

function numberAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let index = start; index < start + count; index++) value = value * 10 + text.charCodeAt(index) - 48;
  return value;
}

const boundaryAfter = (text: string, index: number): boolean => index >= text.length || !(isDigit(text.charCodeAt(index)) || isLetter(text.charCodeAt(index)));

/** "14:30", "14:30:05", "9:15 pm" at `start`; returns the end or -1. */
function timeAt(text: string, start: number): number {
  const hourDigits = digitsAt(text, start, 2);
  if (hourDigits < 1 || hourDigits > 2 || text.charCodeAt(start + hourDigits) !== 58) return -1;
  const hour = numberAt(text, start, hourDigits);
  let index = start + hourDigits + 1;
  if (digitsAt(text, index, 2) !== 2 || numberAt(text, index, 2) > 59 || hour > 23) return -1;
  index += 2;
  if (text.charCodeAt(index) === 58 && digitsAt(text, index + 1, 2) === 2) index += 3;
  if (!boundaryAfter(text, index)) return -1;
  let after = index;
  while (after < text.length && isBlank(text.charCodeAt(after))) after++;
  const first = lowerCodeOf(text.charCodeAt(after));
  if ((first === 97 || first === 112) && lowerCodeOf(text.charCodeAt(after + 1)) === 109 && boundaryAfter(text, after + 2)) return after + 2;
  return index;
}

/** A numeric or ISO date (and time) at `start`; returns the end or -1. */
function numericDateAt(text: string, start: number): number {
  const first = digitsAt(text, start, 4);
  const separator = text.charCodeAt(start + first);
  if (separator !== 45 && separator !== 47 && separator !== 46) return -1;
  const secondStart = start + first + 1;
  const second = digitsAt(text, secondStart, 2);
  if (second < 1 || second > 2 || text.charCodeAt(secondStart + second) !== separator) return -1;
  const thirdStart = secondStart + second + 1;
  const third = digitsAt(text, thirdStart, 4);
  let end = thirdStart + third;
  if (first === 4) {
    // ISO: year-month-day.
    if (third < 1 || third > 2 || numberAt(text, secondStart, second) > 12 || numberAt(text, thirdStart, third) > 31) return -1;
  } else {
    if (first > 2 || (third !== 2 && third !== 4)) return -1;
    const a = numberAt(text, start, first);
    const b = numberAt(text, secondStart, second);
    // Day and month in either order, both in range.
    if (a < 1 || b < 1 || a > 31 || b > 31 || (a > 12 && b > 12)) return -1;
  }
  if (!boundaryAfter(text, end) && text.charCodeAt(end) !== 84) return -1;
  // A time after the date: "2020-06-20 14:11:22", "2020-06-20T14:11".
  const gap = text.charCodeAt(end) === 84 || text.charCodeAt(end) === 32 ? end + 1 : -1;
  if (gap > 0) {
    const time = timeAt(text, gap);
    if (time > 0) end = time;
  }
  return end;
}

/** The lower-case word at [start, end) if short, else ''. */
function lowerWord(text: string, start: number, end: number): string {
  if (end - start > 10) return '';
  let word = '';
  for (let index = start; index < end; index++) word += String.fromCharCode(lowerCodeOf(text.charCodeAt(index)));
  return word;
}

function wordEnd(text: string, start: number): number {
  let index = start;
  while (index < text.length && isLetter(text.charCodeAt(index))) index++;
  return index;
}

/** Skips blanks, an optional comma or dot, blanks. */
function skipJoin(text: string, index: number): number {
  let at = index;
  if (text.charCodeAt(at) === 46 || text.charCodeAt(at) === 44) at++;
  while (at < text.length && isBlank(text.charCodeAt(at))) at++;
  return at;
}

/** A day (1–31, optional st/nd/rd/th) at `start`: its end, or -1. */
function dayAt(text: string, start: number): number {
  const count = digitsAt(text, start, 2);
  if (count < 1 || count > 2) return -1;
  const day = numberAt(text, start, count);
  if (day < 1 || day > 31) return -1;
  let end = start + count;
  const a = text.charCodeAt(end) | 32;
  const b = text.charCodeAt(end + 1) | 32;
  if ((a === 115 && b === 116) || (a === 110 && b === 100) || (a === 114 && b === 100) || (a === 116 && b === 104)) end += 2;
  return boundaryAfter(text, end) ? end : -1;
}

function yearAt(text: string, start: number): number {
  const count = digitsAt(text, start, 4);
  if (count !== 4 || !boundaryAfter(text, start + 4)) return -1;
  const year = numberAt(text, start, 4);
  return year >= 1000 && year <= 2199 ? start + 4 : -1;
}

/**
 * Key of a word's first three lower-case letters, for a check against the calendar words without
 * building a string: 10 bits each, so it stays a small integer (no heap number per lookup); the rare
 * collision is settled by the full-word check after it.
 */
const key3 = (a: number, b: number, c: number): number => ((a & 0x3ff) << 20) | ((b & 0x3ff) << 10) | (c & 0x3ff);
const CALENDAR_KEYS: ReadonlySet<number> = new Set([...MONTHS, ...WEEKDAYS].map((word) => key3(word.charCodeAt(0), word.charCodeAt(1), word.charCodeAt(2))));
const YEAR_CONTEXT_KEYS: ReadonlySet<number> = new Set([...YEAR_CONTEXT].map((word) => key3(word.charCodeAt(0), word.charCodeAt(1) || 0, word.charCodeAt(2) || 0)));

/** Whether the letters at [start, end) may spell a month or weekday (3–10 letters, known first three). */
function calendarCandidate(text: string, start: number, end: number): boolean {
  if (end - start < 3 || end - start > 10) return false;
  return CALENDAR_KEYS.has(key3(lowerCodeOf(text.charCodeAt(start)), lowerCodeOf(text.charCodeAt(start + 1)), lowerCodeOf(text.charCodeAt(start + 2))));
}

/** Start of the letter word ending at `end` (after at most two blanks before `digitStart`), or -1. */
function letterWordBefore(text: string, digitStart: number): number {
  let end = digitStart;
  while (end > 0 && digitStart - end < 2 && isBlank(text.charCodeAt(end - 1))) end--;
  if (end === digitStart || end === 0 || !isLetter(text.charCodeAt(end - 1))) return -1;
  let start = end - 1;
  while (start > 0 && end - start < 11 && isLetter(text.charCodeAt(start - 1))) start--;
  return start > 0 && isLetter(text.charCodeAt(start - 1)) ? -1 : start;
}

/** "June 5, 2020", "June 2020", "Sept. 5" from the month word at [start, end): the end, or -1. */
function afterMonth(text: string, end: number): number {
  let at = end;
  if (text.charCodeAt(at) === 46) at++;
  at = skipJoin(text, at);
  const day = dayAt(text, at);
  if (day > 0) {
    const year = yearAt(text, skipJoin(text, day));
    return year > 0 ? year : day;
  }
  return yearAt(text, at);
}

/** "Monday.com", "March-Hare", "May_1": a word joined to more by '.', '-', '_' or '@' is a name, not a date. */
function partOfName(text: string, end: number): boolean {
  const code = text.charCodeAt(end);
  if (code !== 46 && code !== 45 && code !== 95 && code !== 64) return false;
  const next = text.charCodeAt(end + 1);
  return isLetter(next) || (code !== 46 && isDigit(next));
}

/**
 * Digits or an upper-case letter that begins a month or weekday name: where a date can start
 * (lower-case month names are found from the digits after them). Built from the word lists.
 */
const DATE_START = new Uint8Array(128);
for (const char of ['0123456789', ...[...MONTHS, ...WEEKDAYS].map((word) => word[0]!.toUpperCase())].join('')) DATE_START[char.charCodeAt(0)] = 1;

/** Finds dates and times (type `DATE_TIME`). */
export function recognizeDates(text: string, out: RawPiiMatch[]): void {
  ensureTables();
  const length = text.length;
  let index = 0;
  while (index < length) {
    // A table loop: these characters are frequent, and a regex call per hit costs more than the scan.
    let code = text.charCodeAt(index);
    while (code >= 128 || DATE_START[code] === 0) {
      if (++index >= length) return;
      code = text.charCodeAt(index);
    }
    const previous = index > 0 ? text.charCodeAt(index - 1) : 32;
    if (isDigit(code)) {
      if (isLetter(previous) || isDigit(previous) || previous === 46 || previous === 45 || previous === 47 || previous === 43 || previous === 58) {
        while (index < length && isDigit(text.charCodeAt(index))) index++;
        continue;
      }
      const date = numericDateAt(text, index);
      if (date > 0) {
        out.push({ type: 'DATE_TIME', start: index, end: date, score: 0.85 });
        index = date;
        continue;
      }
      const time = timeAt(text, index);
      if (time > 0) {
        out.push({ type: 'DATE_TIME', start: index, end: time, score: 0.6 });
        index = time;
        continue;
      }
      // "5 June 2020", "5. Juni 2020", "5th of June".
      const day = dayAt(text, index);
      if (day > 0) {
        let at = skipJoin(text, day);
        if ((text.charCodeAt(at) | 32) === 111 && (text.charCodeAt(at + 1) | 32) === 102 && isBlank(text.charCodeAt(at + 2))) at = skipJoin(text, at + 2);
        const monthEnd = wordEnd(text, at);
        if (monthEnd > at && calendarCandidate(text, at, monthEnd) && MONTHS.has(lowerWord(text, at, monthEnd))) {
          let end = monthEnd;
          if (text.charCodeAt(end) === 46) end++;
          const year = yearAt(text, skipJoin(text, end));
          if (year > 0) end = year;
          out.push({ type: 'DATE_TIME', start: index, end, score: 0.85 });
          index = end;
          continue;
        }
      }
      const wordStart = letterWordBefore(text, index);
      if (wordStart >= 0) {
        const wordEndAt = wordEnd(text, wordStart);
        // "june 5, 2020" in lower case (capitalized months are read from their first letter).
        if (calendarCandidate(text, wordStart, wordEndAt) && MONTHS.has(lowerWord(text, wordStart, wordEndAt))) {
          const end = afterMonth(text, wordEndAt);
          if (end > 0) {
            out.push({ type: 'DATE_TIME', start: wordStart, end, score: 0.85 });
            index = end;
            continue;
          }
        }
        // A bare year after a word that introduces one: "born in 1977", "since 1990".
        const year = yearAt(text, index);
        if (
          year > 0 &&
          YEAR_CONTEXT_KEYS.has(key3(lowerCodeOf(text.charCodeAt(wordStart)), wordEndAt - wordStart > 1 ? lowerCodeOf(text.charCodeAt(wordStart + 1)) : 0, wordEndAt - wordStart > 2 ? lowerCodeOf(text.charCodeAt(wordStart + 2)) : 0)) &&
          YEAR_CONTEXT.has(lowerWord(text, wordStart, wordEndAt))
        ) {
          out.push({ type: 'DATE_TIME', start: index, end: year, score: 0.7 });
        }
      }
      while (index < length && isDigit(text.charCodeAt(index))) index++;
      continue;
    }
    // An upper-case letter: a month or weekday name starts here, or nothing does.
    const end = wordEnd(text, index);
    if (isLetter(previous) || isDigit(previous) || previous === 46 || previous === 64 || !calendarCandidate(text, index, end) || partOfName(text, end)) {
      index = end;
      continue;
    }
    const word = lowerWord(text, index, end);
    if (MONTHS.has(word)) {
      const stop = afterMonth(text, end);
      if (stop > 0) {
        out.push({ type: 'DATE_TIME', start: index, end: stop, score: 0.85 });
        index = stop;
        continue;
      }
      if (!AMBIGUOUS_MONTHS.has(word)) out.push({ type: 'DATE_TIME', start: index, end, score: 0.6 });
    } else if (WEEKDAYS.has(word)) {
      out.push({ type: 'DATE_TIME', start: index, end, score: 0.7 });
    }
    index = end;
  }
}
