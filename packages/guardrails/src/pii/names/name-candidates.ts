import { letterKindOf as slowLetterKind, letterTables, lowerCodeOf as slowLowerCode } from './letter-case';

// Local copies of the tables: a call into another module's export costs a getter in some loaders.
let KIND: Uint8Array | undefined;
let LOWER: Uint16Array | undefined;
/** 1 for letters and ASCII digits below U+2000: the scanner's inner loops read only this. */
let WORD: Uint8Array | undefined;
const letterKindOf = (code: number): number => (code < 0x2000 ? KIND![code]! : slowLetterKind(code));
const lowerCodeOf = (code: number): number => (code < 0x2000 ? LOWER![code]! : slowLowerCode(code));
function ensureTables(): void {
  if (KIND !== undefined) return;
  const tables = letterTables();
  KIND = tables.kind;
  LOWER = tables.lower;
  WORD = new Uint8Array(0x2000);
  for (let code = 0; code < 0x2000; code++) WORD[code] = KIND[code] !== 0 || (code >= 48 && code <= 57) ? 1 : 0;
}

/**
 * Candidate names: runs of capitalized words ("Ada Lovelace", "Bank of America", "Ken N. Fukuda",
 * "ESPOO") with the words around them, turned into hashed features for the name model. One scan,
 * bounded work per character: words that do not start with a capital letter are skipped at once.
 * The same code feeds training and detection, so both see exactly the same features.
 */

/** A word list shipped with the model: lower-case words that are common in ordinary text. */
export interface CommonWords {
  /** log2 of the bitset size. */
  readonly bits: number;
  readonly set: Uint8Array;
  /**
   * Word lists learned from the training corpora: a table of `2^bits` bytes indexed by a hash of
   * the lower-case word, each byte the mask of the lists holding a word of that slot (bit i:
   * {@link GAZETTEER_LISTS}[i]), so one read answers every list. Absent in models trained without them.
   */
  readonly gazetteer?: { readonly bits: number; readonly set: Uint8Array };
}

/** The gazetteer lists, in bit order of a word's gazetteer mask. */
export const GAZETTEER_LISTS = ['given', 'surname', 'location', 'organization', 'stop', 'alone'] as const;
/**
 * `stop`: capitalized words that are (almost) never part of a name ("Please", "Thanks"); `alone`:
 * words that are (almost) never a name by themselves ("The", "My", "I"). The scanner drops both
 * before scoring: cheaper, and the model never has to learn them.
 */
const STOP_MASK = 1 << 4;
const ALONE_MASK = 1 << 5;
/** One gazetteer list. */
export type GazetteerList = (typeof GAZETTEER_LISTS)[number];

/** A word of up to five letters a–z as one integer (5 bits a letter), so no string is built per lookup. */
const letterKey = (word: string): number => {
  let key = 0;
  for (let index = 0; index < word.length; index++) key = key * 32 + word.charCodeAt(index) - 96;
  return key;
};
/** Lower-case joiners allowed inside a name ("of", "van", "de"), never at its ends. */
const CONNECTORS = ['of', 'de', 'da', 'di', 'del', 'della', 'der', 'den', 'van', 'von', 'du', 'la', 'le', 'dos', 'das', 'do', 'y', 'bin', 'ibn', 'al', 'el', 'ten', 'ter', 'zu'];
/** Longest run of capitalized words taken as one candidate (longer ones are headlines or shouting). */
export const MAX_RUN_WORDS = 6;
const MAX_CONTEXT_WORD = 24;
/** Hash feature templates (kept in one place so training and detection agree). */
const Template = {
  Bias: 1,
  Token: 2,
  First: 3,
  Last: 4,
  SuffixLast: 5,
  SuffixFirst: 6,
  Shape: 7,
  Count: 8,
  StartCount: 9,
  StartFirst: 10,
  Previous: 11,
  Next: 13,
  LineBefore: 15,
  LineAfter: 16,
  CommonFirst: 17,
  CommonLast: 18,
  CommonAll: 19,
  PreviousCommonShape: 20,
  PreviousNumber: 21,
  NextNumber: 22,
  TokenSuffix: 23,
  TokenPrefix: 24,
  TokenLength: 25,
  GazetteerFirst: 26,
  GazetteerLast: 27,
  GazetteerAny: 28,
  GazetteerPair: 29,
  /** Seed of the gazetteer word hash (each list remixes it with its index). */
  GazetteerList: 30,
  PreviousGazetteer: 31,
  NextGazetteer: 32,
  Whole: 33,
  ContextShape: 36,
} as const;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 16_777_619;

const mix = (hash: number, value: number): number => Math.imul(hash ^ value, FNV_PRIME);

/** FNV-1a of `text[start, end)` lower-cased, seeded with a template. */
function hashSlice(template: number, text: string, start: number, end: number): number {
  let hash = mix(FNV_OFFSET, template);
  for (let index = start; index < end; index++) hash = mix(hash, lowerCodeOf(text.charCodeAt(index)));
  return hash;
}

/**
 * The one hash of a word the scanner computes (lower-cased, trailing dot dropped); every feature and
 * word-list lookup of that word is a cheap remix of it, so each character is hashed once.
 */
function wordHash(text: string, start: number, end: number): number {
  return hashSlice(0, text, start, end > start + 1 && text.charCodeAt(end - 1) === 46 ? end - 1 : end);
}

const commonBitOf = (hash: number, bits: number): number => mix(hash, 0x636f6d) >>> (32 - bits);
const gazetteerSlotOf = (hash: number, bits: number): number => mix(hash, Template.GazetteerList) >>> (32 - bits);
const inSet = (set: Uint8Array, bit: number): boolean => (set[bit >>> 3]! & (1 << (bit & 7))) !== 0;

/** Mask of the gazetteer lists holding the word of `hash` (bit i: {@link GAZETTEER_LISTS}[i]). */
const gazetteerMask = (gazetteer: NonNullable<CommonWords['gazetteer']>, hash: number): number => gazetteer.set[gazetteerSlotOf(hash, gazetteer.bits)]!;

/** Adds `word` to a gazetteer list in `set`, a table of `2^bits` bytes (used by the training script). */
export function addToGazetteer(set: Uint8Array, bits: number, list: GazetteerList, word: string): void {
  ensureTables();
  set[gazetteerSlotOf(wordHash(word, 0, word.length), bits)]! |= 1 << GAZETTEER_LISTS.indexOf(list);
}

/** The bit a lower-case word sets in the common-word list (used by the training script). */
export function commonWordBit(word: string, bits: number): number {
  ensureTables();
  return commonBitOf(wordHash(word, 0, word.length), bits);
}

function isWordChar(code: number): boolean {
  return code < 0x2000 ? WORD![code] === 1 : slowLetterKind(code) !== 0;
}

const isDigit = (code: number): boolean => code >= 48 && code <= 57;
const isSpace = (code: number): boolean => code === 32 || code === 160 || code === 9;

/** End of the word starting at `start`: letters and digits, with inner apostrophes and hyphens. */
function wordEnd(text: string, start: number): number {
  let index = start;
  const length = text.length;
  while (index < length) {
    const code = text.charCodeAt(index);
    if (isWordChar(code)) index++;
    else if ((code === 39 || code === 0x2019 || code === 45) && index > start && index + 1 < length && letterKindOf(text.charCodeAt(index + 1)) !== 0) index++;
    else break;
  }
  return index;
}

/** Suffixes written after a comma that belong to the name before it. */
const NAME_SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'inc', 'ltd', 'llc', 'llp', 'plc', 'co', 'corp', 'gmbh', 'ag', 'sa', 'pc']);

function isNameSuffix(text: string, start: number, end: number): boolean {
  return end - start >= 2 && end - start <= 4 && NAME_SUFFIXES.has(text.slice(start, end).toLowerCase());
}

/** "St", "Mt" or "Ft" (followed by a dot they open a place name: "St. Louis", "Mt. Vernon"). */
function isPlaceAbbreviation(text: string, start: number, end: number): boolean {
  if (end - start !== 2 || text.charCodeAt(start + 1) !== 116) return false;
  const first = text.charCodeAt(start);
  return first === 83 || first === 77 || first === 70;
}

/** `text[start, end)` ends in "'s" / "’s" after at least one letter. */
function isPossessive(text: string, start: number, end: number): boolean {
  if (end - start < 3 || text.charCodeAt(end - 1) !== 115) return false;
  const mark = text.charCodeAt(end - 2);
  return mark === 39 || mark === 0x2019;
}

const CONNECTOR_KEYS: ReadonlySet<number> = new Set(CONNECTORS.map(letterKey));

function isConnector(text: string, start: number, end: number): boolean {
  if (end - start > 5) return false;
  if (end - start === 1 && text.charCodeAt(start) === 38) return true;
  let key = 0;
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code < 97 || code > 122) return false;
    key = key * 32 + code - 96;
  }
  return CONNECTOR_KEYS.has(key);
}

/** Context word before `from` (exclusive): [start, end) of a word or one punctuation character, plus whether a line break or sentence end lies between. */
interface Context {
  start: number;
  end: number;
  /** A line break between the candidate and this context. */
  newline: boolean;
  /** Kind: 0 none (text edge), 1 word, 2 punctuation. */
  kind: number;
  /** Lower-cased hash of the word or character (0 at the text edge). */
  hash: number;
  /** Only ASCII digits. */
  digits: boolean;
}

/** Abbreviated titles whose '.' does not end a sentence. */
const TITLE_KEYS: ReadonlySet<number> = new Set(['mr', 'mrs', 'ms', 'mx', 'dr', 'prof', 'rev', 'hon', 'gen', 'col', 'capt', 'lt', 'sgt', 'st', 'mt', 'ft'].map(letterKey));

/** The '.' at `dot` ends an abbreviated title ("Mr.", "Dr.", "Prof.", "St."), not a sentence. */
function isTitleAbbreviation(text: string, dot: number): boolean {
  let index = dot;
  while (index > 0 && dot - index < 5 && letterKindOf(text.charCodeAt(index - 1)) !== 0) index--;
  if (dot - index < 2 || dot - index > 4 || letterKindOf(text.charCodeAt(index)) !== 2 || (index > 0 && isWordChar(text.charCodeAt(index - 1)))) return false;
  // Titles are ASCII: no other letter below U+2000 lower-cases to a–z, so an ASCII key decides.
  let key = 0;
  for (let at = index; at < dot; at++) {
    const code = text.charCodeAt(at) | 32;
    if (code < 97 || code > 122) return false;
    key = key * 32 + code - 96;
  }
  return TITLE_KEYS.has(key);
}

/** Hash of the empty word (the seed every word hash starts from). */
const EMPTY_HASH = mix(FNV_OFFSET, 0);

/** Sets `out.hash` (lower-cased word hash, as {@link hashSlice} with template 0) and `out.digits` of `text[out.start, out.end)`. */
function hashContext(text: string, out: Context): void {
  let hash = EMPTY_HASH;
  let digits = true;
  for (let index = out.start; index < out.end; index++) {
    const code = text.charCodeAt(index);
    hash = mix(hash, lowerCodeOf(code));
    if (code < 48 || code > 57) digits = false;
  }
  out.hash = hash;
  out.digits = digits && out.end > out.start;
}

function previousContext(text: string, from: number, out: Context): void {
  let index = from - 1;
  out.newline = false;
  while (index >= 0 && (isSpace(text.charCodeAt(index)) || text.charCodeAt(index) === 10 || text.charCodeAt(index) === 13)) {
    if (text.charCodeAt(index) === 10) out.newline = true;
    index--;
  }
  if (index < 0) {
    out.kind = 0;
    out.start = out.end = 0;
    out.hash = 0;
    out.digits = false;
    return;
  }
  const code = text.charCodeAt(index);
  if (code === 46 && isTitleAbbreviation(text, index)) index--; // "Mr." / "Dr.": the word, not the dot, is the context
  else if (!isWordChar(code)) {
    out.kind = 2;
    out.start = index;
    out.end = index + 1;
    hashContext(text, out);
    return;
  }
  const end = index + 1;
  while (index > 0 && end - index < MAX_CONTEXT_WORD && isWordChar(text.charCodeAt(index - 1))) index--;
  out.kind = 1;
  out.start = index;
  out.end = end;
  hashContext(text, out);
}

function nextContext(text: string, from: number, out: Context): void {
  let index = from;
  const length = text.length;
  out.newline = false;
  while (index < length && (isSpace(text.charCodeAt(index)) || text.charCodeAt(index) === 10 || text.charCodeAt(index) === 13)) {
    if (text.charCodeAt(index) === 10) out.newline = true;
    index++;
  }
  if (index >= length) {
    out.kind = 0;
    out.start = out.end = length;
    out.hash = 0;
    out.digits = false;
    return;
  }
  const first = text.charCodeAt(index);
  if (!isWordChar(first)) {
    out.kind = 2;
    out.start = index;
    out.end = index + 1;
    out.hash = mix(EMPTY_HASH, lowerCodeOf(first));
    out.digits = false;
    return;
  }
  // Scanned and hashed in one pass.
  const start = index;
  let hash = EMPTY_HASH;
  let digits = true;
  while (index < length && index - start < MAX_CONTEXT_WORD) {
    const code = text.charCodeAt(index);
    if (!isWordChar(code)) break;
    hash = mix(hash, lowerCodeOf(code));
    if (code < 48 || code > 57) digits = false;
    index++;
  }
  out.kind = 1;
  out.start = start;
  out.end = index;
  out.hash = hash;
  out.digits = digits;
}

/** Receives one candidate: its span and its feature hashes (`features[0..count)`, valid only during the call). */
export type CandidateVisitor = (start: number, end: number, features: Int32Array, count: number) => void;
/**
 * Whether the caller discards any candidate overlapping `[start, end)` whatever its score (asked in
 * increasing `start` order): the run's candidates are then not built at all.
 */
export type CandidateFilter = (start: number, end: number) => boolean;

const tokenStarts = new Int32Array(MAX_RUN_WORDS * 2 + 2);
const tokenEnds = new Int32Array(MAX_RUN_WORDS * 2 + 2);
const features = new Int32Array(128);
const before: Context = { start: 0, end: 0, newline: false, kind: 0, hash: 0, digits: false };
const after: Context = { start: 0, end: 0, newline: false, kind: 0, hash: 0, digits: false };

/**
 * Calls `visit` for every candidate name in `text`, left to right, with its features hashed into
 * `mask + 1` buckets. Linear in the length of the text.
 */
export function visitNameCandidates(text: string, mask: number, common: CommonWords | undefined, visit: CandidateVisitor, discarded?: CandidateFilter): void {
  ensureTables();
  const length = text.length;
  let index = 0;
  while (index < length) {
    const code = text.charCodeAt(index);
    const kind = letterKindOf(code);
    if (kind === 0) {
      index++;
      if (isDigit(code)) while (index < length && isWordChar(text.charCodeAt(index))) index++;
      // A user handle ("@DavyResearch", "@Wendy_Dimpz") is an account name, not a person's name.
      else if (code === 64) while (index < length && (isWordChar(text.charCodeAt(index)) || text.charCodeAt(index) === 95)) index++;
      continue;
    }
    const end = wordEnd(text, index);
    if (kind !== 2) {
      index = end;
      continue;
    }
    index = scanRun(text, index, end, mask, common, visit, discarded);
  }
}

/** Builds the run starting with the capitalized word [start, firstEnd), visits it, returns where scanning resumes. */
function scanRun(text: string, start: number, firstEnd: number, mask: number, common: CommonWords | undefined, visit: CandidateVisitor, discarded: CandidateFilter | undefined): number {
  const length = text.length;
  let count = 0;
  let end = firstEnd;
  // A single capital followed by '.' is an initial, "St." / "Mt." / "Ft." start a place: keep the dot.
  if (text.charCodeAt(end) === 46 && (end - start === 1 || isPlaceAbbreviation(text, start, end))) end++;
  // A possessive ends the name and is not part of it ("Anna's car" → "Anna").
  let possessive = isPossessive(text, start, end);
  if (possessive) end -= 2;
  tokenStarts[count] = start;
  tokenEnds[count++] = end;
  let words = 1;
  while (words < MAX_RUN_WORDS && !possessive) {
    if (end + 1 >= length || !isSpace(text.charCodeAt(end))) break;
    let next = end + 1;
    let nextEnd = wordEnd(text, next);
    if (nextEnd === next && text.charCodeAt(next) !== 38) break;
    if (text.charCodeAt(next) === 38) nextEnd = next + 1;
    let connector = -1;
    if (letterKindOf(text.charCodeAt(next)) !== 2) {
      // A lower-case joiner counts only when a capitalized word follows it.
      if (!isConnector(text, next, nextEnd) || nextEnd + 1 >= length || !isSpace(text.charCodeAt(nextEnd))) break;
      const after = nextEnd + 1;
      if (letterKindOf(text.charCodeAt(after)) !== 2) break;
      connector = next;
      tokenStarts[count] = next;
      tokenEnds[count++] = nextEnd;
      next = after;
      nextEnd = wordEnd(text, next);
    }
    if (text.charCodeAt(nextEnd) === 46 && (nextEnd - next === 1 || isPlaceAbbreviation(text, next, nextEnd))) nextEnd++;
    if (connector < 0 && nextEnd === next) break;
    possessive = isPossessive(text, next, nextEnd);
    if (possessive) nextEnd -= 2;
    tokenStarts[count] = next;
    tokenEnds[count++] = nextEnd;
    end = nextEnd;
    words++;
  }
  if (!possessive && words < MAX_RUN_WORDS && text.charCodeAt(end) === 44 && text.charCodeAt(end + 1) === 32 && letterKindOf(text.charCodeAt(end + 2)) === 2) {
    // ", Jr." / ", III" / ", Inc." / ", Ltd." belong to the name before the comma.
    let suffixEnd = wordEnd(text, end + 2);
    if (isNameSuffix(text, end + 2, suffixEnd)) {
      if (text.charCodeAt(suffixEnd) === 46) suffixEnd++;
      tokenStarts[count] = end + 2;
      tokenEnds[count++] = suffixEnd;
      end = suffixEnd;
      words++;
    }
  }
  if (words >= MAX_RUN_WORDS) {
    // A headline or shouting: skip the rest of the run of capitalized words without a candidate.
    let resume = end;
    while (resume < length && (isWordChar(text.charCodeAt(resume)) || isSpace(text.charCodeAt(resume)))) resume++;
    return resume;
  }
  // A title on its own ("Mr." before a name) is context for the next run, not a name.
  if (words === 1 && text.charCodeAt(end) === 46 && isTitleAbbreviation(text, end)) return end;
  // Each token is hashed once per run: the gazetteer and common-word checks and both candidates reuse it.
  for (let token = 0; token < count; token++) {
    tokenHashes[token] = hashToken(text, tokenStarts[token]!, tokenEnds[token]!);
    tokenShapes[token] = lastShape;
  }
  const gazetteer = common?.gazetteer;
  const firstMask = gazetteer === undefined ? 0 : gazetteerMask(gazetteer, tokenHashes[0]!);
  if ((firstMask & STOP_MASK) !== 0 || (words === 1 && (firstMask & ALONE_MASK) !== 0)) {
    // A stop word ("Thanks") is never part of a name: drop it, and the whole run when it is alone.
    const from = firstCapitalized(text, 1, count);
    if (from < count && (discarded === undefined || !discarded(tokenStarts[from]!, end))) emit(text, from, count, mask, common, visit);
    return end;
  }
  // "Dear Lucero", "Yesterday Margaret Thornton": a run led by a common word is also offered
  // without it; the recognizer keeps the better of overlapping candidates. Not across a joiner:
  // "Bank of America" is one name.
  const alsoWithout = words > 1 && letterKindOf(text.charCodeAt(tokenStarts[1]!)) === 2 && common !== undefined && inSet(common.set, commonBitOf(tokenHashes[0]!, common.bits));
  // The shorter candidate lies inside the longer: when it is discarded, so is the other.
  if (discarded !== undefined && discarded(tokenStarts[alsoWithout ? 1 : 0]!, end)) return end;
  emit(text, 0, count, mask, common, visit);
  if (alsoWithout) emit(text, 1, count, mask, common, visit, true);
  return end;
}

/** 0 none, 1 lower-case word, 2 capitalized word, 3 number, 4 + code of a punctuation character. */
function contextShape(text: string, context: Context): number {
  if (context.kind === 0) return 0;
  const code = text.charCodeAt(context.start);
  if (context.kind === 2) return 4 + code;
  const kind = letterKindOf(code);
  return kind === 1 ? 1 : kind === 2 ? 2 : 3;
}

/** Lower-cased hash of `[start, end)` plus its shape letter, in one pass (see {@link shapeOf}). */
let lastShape = 0;
function hashToken(text: string, start: number, end: number): number {
  const first = text.charCodeAt(start);
  const core = end > start + 1 && text.charCodeAt(end - 1) === 46 ? end - 1 : end;
  let hash = mix(FNV_OFFSET, 0);
  let upper = 0;
  let digits = 0;
  for (let index = start; index < core; index++) {
    const code = text.charCodeAt(index);
    const kind = letterKindOf(code);
    if (kind === 2) upper++;
    else if (kind === 0 && isDigit(code)) digits++;
    hash = mix(hash, code < 0x2000 ? LOWER![code]! : slowLowerCode(code));
  }
  if (letterKindOf(first) !== 2) lastShape = 99;
  else if (end - start === 2 && core === start + 1) lastShape = 73;
  else if (digits > 0) lastShape = 68;
  else lastShape = upper === core - start && upper > 1 ? 65 : 85;
  return hash;
}

/** Spelling hash of 2–4 characters (a suffix or prefix) without a loop. */
function affix(template: number, text: string, start: number, length: number): number {
  let hash = mix(mix(FNV_OFFSET, template), lowerCodeOf(text.charCodeAt(start)));
  hash = mix(hash, lowerCodeOf(text.charCodeAt(start + 1)));
  if (length === 2) return hash;
  hash = mix(hash, lowerCodeOf(text.charCodeAt(start + 2)));
  return length === 4 ? mix(hash, lowerCodeOf(text.charCodeAt(start + 3))) : hash;
}

const tokenHashes = new Int32Array(MAX_RUN_WORDS * 2 + 2);
/** Shape letter of each token of the current run (see {@link hashToken}). */
const tokenShapes = new Int32Array(MAX_RUN_WORDS * 2 + 2);

/** Index of the first token in `[from, count)` of the current run that is not a lower-case joiner. */
function firstCapitalized(text: string, from: number, count: number): number {
  while (from < count && letterKindOf(text.charCodeAt(tokenStarts[from]!)) !== 2) from++;
  return from;
}

/** Visits the candidate made of tokens `[from, count)` of the current run; `sameEnd`: the previous emit ended there too, so its words after still stand. */
function emit(text: string, from: number, count: number, mask: number, common: CommonWords | undefined, visit: CandidateVisitor, sameEnd = false): void {
  const start = tokenStarts[from]!;
  const end = tokenEnds[count - 1]!;
  // Features are written straight into the shared buffer: `n` of them so far.
  let n = 0;
  features[n++] = mix(FNV_OFFSET, Template.Bias) & mask;
  let shape = mix(FNV_OFFSET, Template.Shape);
  const gazetteer = common?.gazetteer;
  let gazetteerFirst = -1;
  let gazetteerLast = 0;
  let gazetteerAny = 0;
  let commonCount = 0;
  let firstCommon = false;
  let lastCommon = false;
  for (let token = from; token < count; token++) {
    const tokenStart = tokenStarts[token]!;
    const tokenEnd = tokenEnds[token]!;
    const hash = tokenHashes[token]!;
    const tokenShape = tokenShapes[token]!;
    features[n++] = mix(mix(hash, Template.Token), tokenShape) & mask;
    if (tokenShape !== 99 && tokenEnd - tokenStart >= 4) {
      // Spelling of the word itself (2–4 letter endings, 2–3 letter beginnings): carries over to names never seen ("-ović", "-sson", "Mc-").
      features[n++] = affix(Template.TokenSuffix, text, tokenEnd - 3, 3) & mask;
      features[n++] = affix(Template.TokenSuffix + 100, text, tokenEnd - 2, 2) & mask;
      features[n++] = affix(Template.TokenPrefix, text, tokenStart, 3) & mask;
      features[n++] = affix(Template.TokenSuffix + 200, text, tokenEnd - 4, 4) & mask;
      features[n++] = affix(Template.TokenPrefix + 100, text, tokenStart, 2) & mask;
      features[n++] = mix(mix(FNV_OFFSET, Template.TokenLength), Math.min(tokenEnd - tokenStart, 12)) & mask;
    }
    shape = mix(shape, tokenShape);
    if (tokenShape !== 99) {
      if (gazetteer !== undefined) {
        // Word lists learned from the training corpora: a shared weight for names the model has not seen as tokens.
        gazetteerLast = gazetteerMask(gazetteer, hash);
        if (gazetteerFirst < 0) gazetteerFirst = gazetteerLast;
        gazetteerAny |= gazetteerLast;
      }
      const isCommon = common !== undefined && inSet(common.set, commonBitOf(hash, common.bits));
      if (isCommon) commonCount++;
      if (token === from) firstCommon = isCommon;
      lastCommon = isCommon;
    }
  }
  const firstEnd = tokenEnds[from]!;
  const lastStart = tokenStarts[count - 1]!;
  const firstHash = tokenHashes[from]!;
  features[n++] = mix(firstHash, Template.First) & mask;
  features[n++] = mix(tokenHashes[count - 1]!, Template.Last) & mask;
  if (end - lastStart >= 3) features[n++] = affix(Template.SuffixLast, text, end - 3, 3) & mask;
  if (firstEnd - start >= 3) features[n++] = affix(Template.SuffixFirst, text, firstEnd - 3, 3) & mask;
  features[n++] = shape & mask;
  if (count - from > 1) {
    // The whole multi-word name as one feature ("New York", "Bank of America").
    let whole = mix(FNV_OFFSET, Template.Whole);
    for (let token = from; token < count; token++) whole = mix(whole, tokenHashes[token]!);
    features[n++] = whole & mask;
  }
  const words = Math.min(count - from, 6);
  features[n++] = mix(mix(FNV_OFFSET, Template.Count), words) & mask;
  const first = Math.max(0, gazetteerFirst);
  if (gazetteer !== undefined) {
    features[n++] = mix(mix(FNV_OFFSET, Template.GazetteerFirst), first) & mask;
    features[n++] = mix(mix(FNV_OFFSET, Template.GazetteerLast), gazetteerLast) & mask;
    features[n++] = mix(mix(mix(FNV_OFFSET, Template.GazetteerAny), gazetteerAny), words) & mask;
    features[n++] = mix(mix(mix(FNV_OFFSET, Template.GazetteerPair), first), gazetteerLast) & mask;
  }

  previousContext(text, start, before);
  const previousChar = before.kind === 2 ? text.charCodeAt(before.start) : 0;
  const sentenceStart = before.kind === 0 || before.newline || previousChar === 46 || previousChar === 33 || previousChar === 63 || previousChar === 34 || previousChar === 58;
  features[n++] = mix(mix(mix(FNV_OFFSET, Template.StartCount), sentenceStart ? 1 : 0), words) & mask;
  if (sentenceStart) features[n++] = mix(firstHash, Template.StartFirst) & mask;
  const previousHash = before.hash;
  features[n++] = mix(previousHash, Template.Previous) & mask;
  // The context word together with what the name looks like: "with" + a given name, "in" + a place word.
  features[n++] = mix(mix(mix(previousHash, Template.PreviousGazetteer), first), words > 1 ? 1 : 0) & mask;
  if (before.newline) features[n++] = mix(FNV_OFFSET, Template.LineBefore) & mask;
  if (before.kind === 1 && before.digits) features[n++] = mix(mix(FNV_OFFSET, Template.PreviousNumber), Math.min(before.end - before.start, 6)) & mask;

  if (!sameEnd) nextContext(text, end, after);
  const nextHash = after.hash;
  features[n++] = mix(nextHash, Template.Next) & mask;
  features[n++] = mix(mix(nextHash, Template.NextGazetteer), gazetteerLast) & mask;
  if (after.newline) features[n++] = mix(FNV_OFFSET, Template.LineAfter) & mask;
  if (after.kind === 1 && after.digits) features[n++] = mix(mix(FNV_OFFSET, Template.NextNumber), Math.min(after.end - after.start, 6)) & mask;

  // What surrounds the name: a lower-case word, a capitalized one, a number, punctuation or nothing.
  features[n++] = mix(mix(mix(mix(FNV_OFFSET, Template.ContextShape), contextShape(text, before)), contextShape(text, after)), words > 1 ? 1 : 0) & mask;
  if (common !== undefined) {
    features[n++] = mix(mix(mix(FNV_OFFSET, Template.CommonFirst), firstCommon ? 1 : 0), sentenceStart ? 1 : 0) & mask;
    features[n++] = mix(mix(FNV_OFFSET, Template.CommonLast), lastCommon ? 1 : 0) & mask;
    features[n++] = mix(mix(mix(FNV_OFFSET, Template.CommonAll), commonCount === 0 ? 0 : commonCount === words ? 2 : 1), words) & mask;
    if (before.kind === 1) features[n++] = mix(mix(mix(previousHash, Template.PreviousCommonShape), firstCommon ? 1 : 0), words) & mask;
  }
  visit(start, end, features, n);
}
