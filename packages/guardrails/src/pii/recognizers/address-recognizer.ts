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
 * Street addresses, found from their house number: "90 Whitchurch Road", "3600 West 5th Ave.",
 * "12 rue de la Paix", "Friedhofstrasse 33", "Via Roma 12", "P.O. Box 123", then extended over what
 * follows on the same address: "Apt. 4", ", Springfield, IL 62704", "\n 75001 Paris". Hand-written
 * rules from general postal formats (no data set's rows); every number looks at most a few words
 * either side, so the scan is linear.
 */

/** Street types written after the name (English and a few others). */
const SUFFIX_TYPES = new Set([
  'street', 'st', 'avenue', 'ave', 'av', 'road', 'rd', 'lane', 'ln', 'boulevard', 'blvd', 'drive', 'dr', 'way', 'court', 'ct',
  'place', 'pl', 'square', 'sq', 'terrace', 'ter', 'parkway', 'pkwy', 'highway', 'hwy', 'circle', 'cir', 'trail', 'trl', 'crescent',
  'close', 'grove', 'gardens', 'row', 'walk', 'mews', 'alley', 'plaza', 'loop', 'pike', 'route', 'rte', 'expressway', 'freeway',
  'turnpike', 'ridge', 'hill', 'hills', 'park', 'green', 'heights', 'crossing', 'point', 'landing', 'path', 'pass', 'estates', 'manor',
  'vale', 'view', 'wharf', 'quay', 'strasse', 'straße', 'str', 'weg', 'gasse', 'allee', 'platz', 'ring', 'straat', 'laan', 'vej',
  'gade', 'gata', 'gatan', 'vägen', 'väg', 'vei', 'veien', 'gate', 'tie', 'katu', 'utca', 'út', 'tér', 'odos', 'leoforos',
]);
/** Street types written before the name. */
const PREFIX_TYPES = new Set([
  'rue', 'avenue', 'av', 'avenida', 'via', 'viale', 'piazza', 'corso', 'calle', 'carrer', 'paseo', 'plaza', 'rua', 'praça', 'travessa',
  'largo', 'boulevard', 'bd', 'chemin', 'allée', 'place', 'route', 'quai', 'impasse', 'ulica', 'ul', 'strada', 'aleja', 'al', 'ulitsa',
  'odos', 'leoforos', 'jalan', 'jl', 'highway', 'hwy', 'route', 'rte', 'camino', 'carretera', 'ronda', 'rambla', 'travesía', 'vicolo', 'stradă', 'bulevardul', 'cesta',
]);
/** Endings of one-word street names ("Friedhofstrasse", "Gesterbyntie", "Storgatan"). */
const COMPOUND_SUFFIXES = [
  'strasse', 'straße', 'str.', 'gasse', 'weg', 'allee', 'platz', 'ring', 'damm', 'ufer', 'steig', 'vej', 'gade', 'gata', 'gatan', 'vägen',
  'väg', 'veien', 'vei', 'gate', 'tie', 'katu', 'kuja', 'polku', 'laan', 'straat', 'plein', 'gracht', 'kade', 'dreef', 'utca', 'stræde',
  'stig', 'torg', 'torget', 'bakken',
];
/** Words before a unit number. */
const UNIT_WORDS = new Set(['apt', 'apartment', 'suite', 'ste', 'unit', 'floor', 'fl', 'room', 'rm', 'flat', 'bldg', 'building', 'dept', 'box', 'flr', 'fl.', 'étage', 'piso', 'wohnung', 'whg', 'lgh']);
/** Words before a box number (the box form of an address). */
const BOX_WORDS = new Set(['box', 'postfach', 'bp', 'psc', 'cp', 'apartado']);
const DIRECTIONS = new Set(['n', 's', 'e', 'w', 'ne', 'nw', 'se', 'sw', 'north', 'south', 'east', 'west', 'northeast', 'northwest', 'southeast', 'southwest', 'old', 'new', 'upper', 'lower', 'great', 'little']);
const CONNECTORS = new Set(['de', 'del', 'della', 'la', 'le', 'les', 'du', 'des', 'da', 'do', 'dos', 'das', 'di', 'of', 'the', 'van', 'von', 'der', 'den', 'am', 'an', 'im', 'zum', 'zur', 'y', 'e', "d'", "l'"]);

const MAX_NAME_WORDS = 5;
const MAX_EXTENSIONS = 5;

const isDigit = (code: number): boolean => code >= 48 && code <= 57;
const isLetter = (code: number): boolean => letterKindOf(code) !== 0;
const isBlank = (code: number): boolean => code === 32 || code === 9 || code === 160;

/** A word of the text: [start, end), its lower-case form only when short enough to be a keyword. */
interface Word {
  start: number;
  end: number;
  /** First character upper-case. */
  capital: boolean;
  /** Contains a digit. */
  digits: boolean;
  /** Only digits (optionally one trailing letter or a '-' range): a house number. */
  number: boolean;
  lower: string;
}

function readWord(text: string, start: number): Word | undefined {
  const length = text.length;
  let index = start;
  let digits = 0;
  let letters = 0;
  while (index < length) {
    const code = text.charCodeAt(index);
    if (isDigit(code)) digits++;
    else if (isLetter(code)) letters++;
    else if ((code === 39 || code === 0x2019 || code === 45 || code === 47) && index > start && index + 1 < length && (isLetter(text.charCodeAt(index + 1)) || isDigit(text.charCodeAt(index + 1)))) {
      // inner apostrophe, hyphen or slash
    } else break;
    index++;
  }
  if (index === start) return undefined;
  // An abbreviation keeps its dot ("St.", "Apt.", "S.").
  if (index < length && text.charCodeAt(index) === 46 && letters > 0 && letters <= 4 && digits === 0) index++;
  let lower = '';
  if (index - start <= 24) for (let at = start; at < index; at++) lower += String.fromCharCode(lowerCodeOf(text.charCodeAt(at)));
  if (lower.endsWith('.')) lower = lower.slice(0, -1);
  const first = text.charCodeAt(start);
  return {
    start,
    end: index,
    capital: letterKindOf(first) === 2,
    digits: digits > 0,
    number: digits > 0 && digits <= 6 && letters <= 1 && isDigit(first),
    lower,
  };
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
  let start = index;
  // Allow a trailing abbreviation dot.
  if (text.charCodeAt(start - 1) === 46) start--;
  while (start > 0 && end - start < 40) {
    const code = text.charCodeAt(start - 1);
    if (isLetter(code) || isDigit(code) || code === 39 || code === 45) start--;
    else break;
  }
  const word = readWord(text, start);
  return word && word.end === index ? word : undefined;
}

const isCompoundStreet = (word: Word): boolean => word.capital && word.lower.length >= 5 && COMPOUND_SUFFIXES.some((suffix) => word.lower.endsWith(suffix) && word.lower.length > suffix.length + 1);
const isNameWord = (word: Word): boolean => (word.capital && !word.number) || (word.digits && /^\d+(st|nd|rd|th|e|er|ème)$/.test(word.lower)) || DIRECTIONS.has(word.lower);

/**
 * The street part starting with the house number `number`: number, then up to five name words,
 * ending with a street type ("90 Whitchurch Road") or a compound street name ("12 Friedhofstrasse"),
 * or a prefix type and its name ("12 rue de la Paix"). Returns its end or -1.
 */
function streetAfterNumber(text: string, number: Word): number {
  let word = wordAfter(text, number.end);
  if (!word) return -1;
  if (PREFIX_TYPES.has(word.lower) || isCompoundStreet(word)) {
    const compound = !PREFIX_TYPES.has(word.lower);
    let end = word.end;
    if (compound) return end;
    let names = 0;
    for (let next = wordAfter(text, end); next && names < MAX_NAME_WORDS; next = wordAfter(text, end)) {
      if (CONNECTORS.has(next.lower) || (next.capital && !next.number)) {
        end = next.end;
        if (!CONNECTORS.has(next.lower)) names++;
      } else break;
    }
    return names > 0 ? end : -1;
  }
  let names = 0;
  let typed = -1;
  let last = number.end;
  // The last street type within reach wins ("8128 S. DR MARTIN LUTHER KING JR Drive").
  for (; word && names <= MAX_NAME_WORDS; word = wordAfter(text, word.end)) {
    if (names > 0 && SUFFIX_TYPES.has(word.lower)) typed = word.end;
    else if (isCompoundStreet(word)) typed = word.end;
    else if (UNIT_WORDS.has(word.lower) || !isNameWord(word)) break;
    last = word.end;
    names++;
  }
  if (typed > 0) return typed;
  // No street type ("908 W. Madison, Chicago, IL 60607"): a street only if a unit, a city with a
  // state or postcode, or a postcode follows (checked by the caller through extend()).
  return names > 0 && names <= 3 ? -last : -1;
}

/**
 * The street part ending with the house number `number`: "Friedhofstrasse 33", "Via Roma 12",
 * "Rue de Virton 38", "Iroon Polytechniou Avenue 175". Returns its start or -1.
 */
function streetBeforeNumber(text: string, number: Word): number {
  let word = wordBefore(text, number.start);
  let start = -1;
  for (let steps = 0; word && steps <= MAX_NAME_WORDS; steps++) {
    if (isCompoundStreet(word) || (steps > 0 && SUFFIX_TYPES.has(word.lower) && word.lower.length > 2) || PREFIX_TYPES.has(word.lower)) start = word.start;
    if (PREFIX_TYPES.has(word.lower) && word.capital) return word.start;
    if (!(word.capital || CONNECTORS.has(word.lower)) || word.number) break;
    word = wordBefore(text, word.start);
  }
  return start;
}

/** Extends an address over units, postcodes, cities and states that follow it. */
function extend(text: string, end: number): number {
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
    // "# 1506", "#12".
    if (text.charCodeAt(index) === 35 && index > end) {
      const number = wordAfter(text, index + 1) ?? readWord(text, index + 1);
      if (number && number.digits) {
        end = number.end;
        continue;
      }
      return end;
    }
    const word = readWord(text, index);
    if (!word || index === end) return end;
    // A unit: "Apt. 4", "Suite 510", "# 12".
    if (UNIT_WORDS.has(word.lower)) {
      const number = wordAfter(text, word.end);
      if (number && number.digits) {
        end = number.end;
        continue;
      }
      return end;
    }
    // "41st Floor", "3rd Flr".
    if (word.digits && !word.number) {
      const unit = wordAfter(text, word.end);
      if (unit && UNIT_WORDS.has(unit.lower)) {
        end = unit.end;
        continue;
      }
    }
    // A postcode, maybe followed by its city: "75001 Paris", "62704".
    if (word.number && word.end - word.start >= 4 && word.end - word.start <= 10) {
      end = word.end;
      const city = cityAfter(text, end);
      if (city > 0) end = city;
      continue;
    }
    if (!comma && !newline) return end;
    // A city (and state, postcode): only when the line ends there, or a state/postcode follows.
    if (word.capital && !word.digits) {
      const cityEnd = cityAfter(text, index - 1, word);
      if (cityEnd < 0) return end;
      const tail = stateOrPostcode(text, cityEnd);
      if (tail > 0) {
        end = tail;
        continue;
      }
      if (newline && lineEndsAt(text, cityEnd)) {
        end = cityEnd;
        continue;
      }
      return end;
    }
    return end;
  }
  return end;
}

/** End of a run of up to three capitalized words starting after `from` (or at `first`), or -1. */
function cityAfter(text: string, from: number, first?: Word): number {
  let word = first ?? wordAfter(text, from);
  if (!word || !word.capital || word.digits) return -1;
  let end = word.end;
  for (let count = 1; count < 3; count++) {
    const next = wordAfter(text, end);
    if (!next || next.digits || !(next.capital || CONNECTORS.has(next.lower))) break;
    if (SUFFIX_TYPES.has(next.lower) || UNIT_WORDS.has(next.lower)) break;
    end = next.end;
    word = next;
  }
  return end;
}

/** After a city: ", IL 62704", " CA", " 62704", ", 62704" → the new end, or -1. */
function stateOrPostcode(text: string, from: number): number {
  let index = from;
  if (text.charCodeAt(index) === 44) index++;
  const word = wordAfter(text, index);
  if (!word) return -1;
  if (word.number && word.end - word.start >= 4) return word.end;
  const length = word.end - word.start;
  if (length === 2 && letterKindOf(text.charCodeAt(word.start)) === 2 && letterKindOf(text.charCodeAt(word.start + 1)) === 2) {
    const postcode = wordAfter(text, word.end);
    return postcode && postcode.number && postcode.end - postcode.start >= 4 ? postcode.end : word.end;
  }
  return -1;
}

function lineEndsAt(text: string, index: number): boolean {
  let at = index;
  while (at < text.length && (isBlank(text.charCodeAt(at)) || text.charCodeAt(at) === 44)) at++;
  return at >= text.length || text.charCodeAt(at) === 10 || text.charCodeAt(at) === 13;
}

/** Finds street addresses (type `STREET_ADDRESS`). */
export function recognizeAddresses(text: string, out: RawPiiMatch[]): void {
  ensureTables();
  const length = text.length;
  let covered = 0;
  let index = 0;
  while (index < length) {
    const code = text.charCodeAt(index);
    if (!isDigit(code)) {
      index++;
      continue;
    }
    const previous = index > 0 ? text.charCodeAt(index - 1) : 32;
    const word = isLetter(previous) || isDigit(previous) || previous === 46 || previous === 45 || previous === 43 ? undefined : readWord(text, index);
    if (!word || !word.number) {
      while (index < length && (isDigit(text.charCodeAt(index)) || isLetter(text.charCodeAt(index)))) index++;
      continue;
    }
    index = word.end;
    if (word.start < covered) continue;
    let start = -1;
    let end = -1;
    let score = 0.85;
    const before = wordBefore(text, word.start);
    if (before && BOX_WORDS.has(before.lower)) {
      // "P.O. Box 123", "PSC 3294".
      const lead = text.slice(Math.max(0, before.start - 6), before.start).toLowerCase();
      const po = /(?:^|[^a-z])(p\.\s?o\.?|po)\s*$/.exec(lead);
      start = po ? before.start - lead.length + po.index + (po[0].length - po[0].trimStart().length) + (/^[^a-z]/.test(po[0]) && po.index > 0 ? 1 : 0) : before.start;
      end = word.end;
      score = 0.8;
    } else {
      const streetEnd = streetAfterNumber(text, word);
      if (streetEnd > 0) {
        start = word.start;
        end = streetEnd;
      } else if (streetEnd < -1 && extend(text, -streetEnd) > -streetEnd) {
        start = word.start;
        end = -streetEnd;
        score = 0.75;
      } else {
        const streetStart = streetBeforeNumber(text, word);
        if (streetStart >= 0 && streetStart >= covered) {
          start = streetStart;
          end = word.end;
          score = 0.8;
        }
      }
    }
    if (start < 0) continue;
    end = extend(text, end);
    out.push({ type: 'STREET_ADDRESS', start, end, score });
    covered = end;
    index = Math.max(index, end);
  }
}
