import { letterKindOf as slowLetterKind, letterTables, lowerCodeOf as slowLowerCode } from './letter-case';

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
   * Gazetteers learned from the training corpora's name spans: one bit per (list, lower-case word)
   * in a `2^bits` set; lists are {@link GAZETTEER_LISTS}. Absent in models trained without them.
   */
  readonly gazetteer?: { readonly bits: number; readonly set: Uint8Array };
}

/** The gazetteer lists, in bit order of a word's gazetteer mask. */
export const GAZETTEER_LISTS = ['given', 'surname', 'location', 'organization'] as const;
/** One gazetteer list. */
export type GazetteerList = (typeof GAZETTEER_LISTS)[number];

/** Lower-case joiners allowed inside a name ("of", "van", "de"), never at its ends. */
const CONNECTORS = new Set(['of', 'de', 'da', 'di', 'del', 'della', 'der', 'den', 'van', 'von', 'du', 'la', 'le', 'dos', 'das', 'do', 'y', 'bin', 'ibn', 'al', 'el', 'ten', 'ter', 'zu']);
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
  PreviousTwo: 12,
  Next: 13,
  NextTwo: 14,
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

/** True when `text[start, end)` lower-cased is a common word of the shipped list. */
export function isCommonWord(common: CommonWords | undefined, text: string, start: number, end: number): boolean {
  if (common === undefined) return false;
  ensureTables();
  const bit = hashSlice(0, text, start, end) >>> (32 - common.bits);
  return (common.set[bit >>> 3]! & (1 << (bit & 7))) !== 0;
}

/** Bit mask of the gazetteer lists holding `text[start, end)` (bit i: {@link GAZETTEER_LISTS}[i]). */
function gazetteerMask(gazetteer: NonNullable<CommonWords['gazetteer']>, text: string, start: number, end: number): number {
  // One pass over the word; each list's bit is a cheap remix of that hash.
  const word = hashSlice(Template.GazetteerList, text, start, end);
  const shift = 32 - gazetteer.bits;
  let mask = 0;
  for (let list = 0; list < GAZETTEER_LISTS.length; list++) {
    const bit = mix(word, list + 1) >>> shift;
    if ((gazetteer.set[bit >>> 3]! & (1 << (bit & 7))) !== 0) mask |= 1 << list;
  }
  return mask;
}

/** The bit a word of a gazetteer list sets (used by the training script). */
export function gazetteerBit(list: GazetteerList, word: string, bits: number): number {
  ensureTables();
  return mix(hashSlice(Template.GazetteerList, word, 0, word.length), GAZETTEER_LISTS.indexOf(list) + 1) >>> (32 - bits);
}

/** The bit a lower-case word sets in the common-word list (used by the training script). */
export function commonWordBit(word: string, bits: number): number {
  ensureTables();
  return hashSlice(0, word, 0, word.length) >>> (32 - bits);
}

function isWordChar(code: number): boolean {
  return letterKindOf(code) !== 0 || (code >= 48 && code <= 57);
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

function isConnector(text: string, start: number, end: number): boolean {
  if (end - start > 5) return false;
  if (end - start === 1 && text.charCodeAt(start) === 38) return true;
  let word = '';
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code < 97 || code > 122) return false;
    word += text[index];
  }
  return CONNECTORS.has(word);
}

/** The shape letter of one word: U capitalized, A all capitals, I initial, c connector, D digits. */
function shapeOf(text: string, start: number, end: number): number {
  const first = text.charCodeAt(start);
  if (letterKindOf(first) !== 2) return 99; // 'c'
  if (end - start === 2 && text.charCodeAt(start + 1) === 46) return 73; // 'I'
  let upper = 0;
  let digits = 0;
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    if (letterKindOf(code) === 2) upper++;
    else if (isDigit(code)) digits++;
  }
  if (digits > 0) return 68; // 'D'
  return upper === end - start && upper > 1 ? 65 : 85; // 'A' : 'U'
}

/** Context word before `from` (exclusive): [start, end) of a word or one punctuation character, plus whether a line break or sentence end lies between. */
interface Context {
  start: number;
  end: number;
  /** A line break between the candidate and this context. */
  newline: boolean;
  /** Kind: 0 none (text edge), 1 word, 2 punctuation. */
  kind: number;
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
    return;
  }
  const code = text.charCodeAt(index);
  if (!isWordChar(code)) {
    out.kind = 2;
    out.start = index;
    out.end = index + 1;
    return;
  }
  const end = index + 1;
  while (index > 0 && end - index < MAX_CONTEXT_WORD && isWordChar(text.charCodeAt(index - 1))) index--;
  out.kind = 1;
  out.start = index;
  out.end = end;
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
    return;
  }
  if (!isWordChar(text.charCodeAt(index))) {
    out.kind = 2;
    out.start = index;
    out.end = index + 1;
    return;
  }
  const start = index;
  while (index < length && index - start < MAX_CONTEXT_WORD && isWordChar(text.charCodeAt(index))) index++;
  out.kind = 1;
  out.start = start;
  out.end = index;
}

function allDigits(text: string, start: number, end: number): boolean {
  for (let index = start; index < end; index++) if (!isDigit(text.charCodeAt(index))) return false;
  return end > start;
}

/** Receives one candidate: its span and its feature hashes (`features[0..count)`, valid only during the call). */
export type CandidateVisitor = (start: number, end: number, features: Int32Array, count: number) => void;

const tokenStarts = new Int32Array(MAX_RUN_WORDS * 2 + 2);
const tokenEnds = new Int32Array(MAX_RUN_WORDS * 2 + 2);
const features = new Int32Array(128);
const before: Context = { start: 0, end: 0, newline: false, kind: 0 };
const beforeTwo: Context = { start: 0, end: 0, newline: false, kind: 0 };
const after: Context = { start: 0, end: 0, newline: false, kind: 0 };
const afterTwo: Context = { start: 0, end: 0, newline: false, kind: 0 };

/**
 * Calls `visit` for every candidate name in `text`, left to right, with its features hashed into
 * `mask + 1` buckets. Linear in the length of the text.
 */
export function visitNameCandidates(text: string, mask: number, common: CommonWords | undefined, visit: CandidateVisitor): void {
  ensureTables();
  const length = text.length;
  let index = 0;
  while (index < length) {
    const code = text.charCodeAt(index);
    const kind = letterKindOf(code);
    if (kind === 0) {
      index++;
      if (isDigit(code)) while (index < length && isWordChar(text.charCodeAt(index))) index++;
      continue;
    }
    const end = wordEnd(text, index);
    if (kind !== 2) {
      index = end;
      continue;
    }
    index = scanRun(text, index, end, mask, common, visit);
  }
}

/** Builds the run starting with the capitalized word [start, firstEnd), visits it, returns where scanning resumes. */
function scanRun(text: string, start: number, firstEnd: number, mask: number, common: CommonWords | undefined, visit: CandidateVisitor): number {
  const length = text.length;
  let count = 0;
  let end = firstEnd;
  // A single capital followed by '.' is an initial: keep the dot.
  if (end - start === 1 && text.charCodeAt(end) === 46) end++;
  tokenStarts[count] = start;
  tokenEnds[count++] = end;
  let words = 1;
  while (words < MAX_RUN_WORDS) {
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
    if (nextEnd - next === 1 && text.charCodeAt(nextEnd) === 46) nextEnd++;
    if (connector < 0 && nextEnd === next) break;
    tokenStarts[count] = next;
    tokenEnds[count++] = nextEnd;
    end = nextEnd;
    words++;
  }
  if (words >= MAX_RUN_WORDS) {
    // A headline or shouting: skip the rest of the run of capitalized words without a candidate.
    let resume = end;
    while (resume < length && (isWordChar(text.charCodeAt(resume)) || isSpace(text.charCodeAt(resume)))) resume++;
    return resume;
  }
  emit(text, start, end, count, mask, common, visit);
  return end;
}

let size = 0;
let featureMask = 0;
function push(hash: number): void {
  features[size++] = hash & featureMask;
}

function emit(text: string, start: number, end: number, count: number, mask: number, common: CommonWords | undefined, visit: CandidateVisitor): void {
  size = 0;
  featureMask = mask;
  push(mix(FNV_OFFSET, Template.Bias));
  let shape = mix(FNV_OFFSET, Template.Shape);
  const gazetteer = common?.gazetteer;
  let gazetteerFirst = -1;
  let gazetteerLast = 0;
  let gazetteerAny = 0;
  let commonCount = 0;
  let firstCommon = false;
  let lastCommon = false;
  for (let token = 0; token < count; token++) {
    const tokenStart = tokenStarts[token]!;
    const tokenEnd = tokenEnds[token]!;
    push(hashSlice(Template.Token, text, tokenStart, tokenEnd));
    const tokenShape = shapeOf(text, tokenStart, tokenEnd);
    if (tokenShape !== 99 && tokenEnd - tokenStart >= 4) {
      // Spelling of the word itself: endings and beginnings carry over to names never seen ("-ović", "-sson", "Mc-").
      push(hashSlice(Template.TokenSuffix, text, tokenEnd - 3, tokenEnd));
      push(hashSlice(Template.TokenSuffix + 100, text, tokenEnd - 2, tokenEnd));
      push(hashSlice(Template.TokenPrefix, text, tokenStart, tokenStart + 3));
      push(mix(mix(FNV_OFFSET, Template.TokenLength), Math.min(tokenEnd - tokenStart, 12)));
    }
    shape = mix(shape, tokenShape);
    if (tokenShape !== 99) {
      if (gazetteer !== undefined) {
        // Word lists learned from the training corpora: a shared weight for names the model has not seen as tokens.
        gazetteerLast = gazetteerMask(gazetteer, text, tokenStart, text.charCodeAt(tokenEnd - 1) === 46 ? tokenEnd - 1 : tokenEnd);
        if (gazetteerFirst < 0) gazetteerFirst = gazetteerLast;
        gazetteerAny |= gazetteerLast;
      }
      const isCommon = isCommonWord(common, text, tokenStart, tokenEnd);
      if (isCommon) commonCount++;
      if (token === 0) firstCommon = isCommon;
      lastCommon = isCommon;
    }
  }
  const firstEnd = tokenEnds[0]!;
  const lastStart = tokenStarts[count - 1]!;
  push(hashSlice(Template.First, text, start, firstEnd));
  push(hashSlice(Template.Last, text, lastStart, end));
  push(hashSlice(Template.SuffixLast, text, Math.max(lastStart, end - 3), end));
  push(hashSlice(Template.SuffixFirst, text, Math.max(start, firstEnd - 3), firstEnd));
  push(shape);
  const words = Math.min(count, 6);
  push(mix(mix(FNV_OFFSET, Template.Count), words));
  if (gazetteer !== undefined) {
    const first = Math.max(0, gazetteerFirst);
    push(mix(mix(FNV_OFFSET, Template.GazetteerFirst), first));
    push(mix(mix(FNV_OFFSET, Template.GazetteerLast), gazetteerLast));
    push(mix(mix(mix(FNV_OFFSET, Template.GazetteerAny), gazetteerAny), words));
    push(mix(mix(mix(FNV_OFFSET, Template.GazetteerPair), first), gazetteerLast));
  }

  previousContext(text, start, before);
  const previousChar = before.kind === 2 ? text.charCodeAt(before.start) : 0;
  const sentenceStart = before.kind === 0 || before.newline || previousChar === 46 || previousChar === 33 || previousChar === 63 || previousChar === 34 || previousChar === 58;
  push(mix(mix(mix(FNV_OFFSET, Template.StartCount), sentenceStart ? 1 : 0), words));
  if (sentenceStart) push(hashSlice(Template.StartFirst, text, start, firstEnd));
  push(before.kind === 0 ? mix(FNV_OFFSET, Template.Previous) : hashSlice(Template.Previous, text, before.start, before.end));
  if (before.kind !== 0) {
    previousContext(text, before.start, beforeTwo);
    if (beforeTwo.kind !== 0) push(mix(hashSlice(Template.PreviousTwo, text, beforeTwo.start, beforeTwo.end), hashSlice(0, text, before.start, before.end)));
  }
  if (before.newline) push(mix(FNV_OFFSET, Template.LineBefore));
  if (before.kind === 1 && allDigits(text, before.start, before.end)) push(mix(mix(FNV_OFFSET, Template.PreviousNumber), Math.min(before.end - before.start, 6)));

  nextContext(text, end, after);
  push(after.kind === 0 ? mix(FNV_OFFSET, Template.Next) : hashSlice(Template.Next, text, after.start, after.end));
  if (after.kind !== 0) {
    nextContext(text, after.end, afterTwo);
    if (afterTwo.kind !== 0) push(mix(hashSlice(Template.NextTwo, text, after.start, after.end), hashSlice(0, text, afterTwo.start, afterTwo.end)));
  }
  if (after.newline) push(mix(FNV_OFFSET, Template.LineAfter));
  if (after.kind === 1 && allDigits(text, after.start, after.end)) push(mix(mix(FNV_OFFSET, Template.NextNumber), Math.min(after.end - after.start, 6)));

  if (common !== undefined) {
    push(mix(mix(mix(FNV_OFFSET, Template.CommonFirst), firstCommon ? 1 : 0), sentenceStart ? 1 : 0));
    push(mix(mix(FNV_OFFSET, Template.CommonLast), lastCommon ? 1 : 0));
    push(mix(mix(mix(FNV_OFFSET, Template.CommonAll), commonCount === 0 ? 0 : commonCount === words ? 2 : 1), words));
    if (before.kind === 1) push(mix(mix(hashSlice(Template.PreviousCommonShape, text, before.start, before.end), firstCommon ? 1 : 0), words));
  }
  visit(start, end, features, size);
}
