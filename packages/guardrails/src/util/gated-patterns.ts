import { compileEagerly } from './eager-regexp';
import { requiredLiterals } from './required-literals';

/**
 * A list of regexes behind a literal prefilter. V8 compiles a regex on its first run, and for the
 * large word-list patterns of the lexicons that compile (its optimizer: quick checks and
 * Boyer–Moore tables over thousands of alternatives) costs far more than any match: running every
 * rule once cost the first moderation call about half a second of CPU. Here one pass over the
 * text marks the patterns whose required literals occur (`requiredLiterals`); only those are
 * compiled and run. A text without the literals a pattern needs cannot match it, so the results
 * are the same as running every pattern.
 */
export interface GatedPatterns {
  /** Per pattern, 1 when it may match `text` (its literals occur, or it has none), else 0. */
  candidates(text: string): Uint8Array;
  /**
   * The pattern at `index`, compiled on first use (straight to machine code, see eager-regexp.ts);
   * `twoByte`: the pattern will see two-byte strings (compiled for those first).
   */
  pattern(index: number, twoByte?: boolean): RegExp;
}

/** A regex as source and flags. */
export interface PatternSource {
  readonly source: string;
  readonly flags: string;
}

/**
 * The literal requirements of a pattern list in compact form (what the generated files hold): the
 * distinct literal sets, and per pattern its conjunctions as set indexes (`null`: always run).
 */
export interface CompactRequirements {
  readonly sets: readonly (readonly string[])[];
  readonly patterns: readonly (readonly (readonly number[])[] | null)[];
}

/**
 * A literal set without the literals that contain a shorter literal of the set: a text holding the
 * longer one holds the shorter, so the set is found in the same texts, and the prefilter compares
 * fewer literals (`the jews` goes when `jews` is in the set).
 */
function withoutRedundant(set: readonly string[]): string[] {
  const kept: string[] = [];
  for (const literal of [...set].sort((a, b) => a.length - b.length)) {
    if (literal === '' || !kept.some((shorter) => shorter !== '' && literal.includes(shorter))) kept.push(literal);
  }
  return kept;
}

/** Reads the requirements of every pattern and numbers the distinct sets. */
export function compactRequirements(patterns: readonly PatternSource[]): CompactRequirements {
  const sets: (readonly string[])[] = [];
  const ids = new Map<string, number>();
  const setId = (literals: readonly string[]): number => {
    const set = withoutRedundant(literals);
    const key = [...set].sort().join('\u0000');
    let id = ids.get(key);
    if (id === undefined) {
      id = sets.push(set) - 1;
      ids.set(key, id);
    }
    return id;
  };
  return { sets, patterns: patterns.map(({ source }) => requiredLiterals(source)?.map((conjunction) => conjunction.map(setId)) ?? null) };
}

/** Buckets of the prefix tables (a power of two). */
const BUCKETS = 1 << 14;
const MASK = BUCKETS - 1;
const hash2 = (c0: number, c1: number): number => (Math.imul(c0, 0x9e3779b1) ^ Math.imul(c1, 0x85ebca77)) >>> 18;
const hash3 = (c0: number, c1: number, c2: number): number => (Math.imul(c0, 0x9e3779b1) ^ Math.imul(c1, 0x85ebca77) ^ Math.imul(c2, 0xc2b2ae3d)) >>> 18;
const hash4 = (c0: number, c1: number, c2: number, c3: number): number =>
  (Math.imul(c0, 0x9e3779b1) ^ Math.imul(c1, 0x85ebca77) ^ Math.imul(c2, 0xc2b2ae3d) ^ Math.imul(c3, 0x27d4eb2f)) >>> 18;

/**
 * The distinct literals indexed by their first one, two, three or four UTF-16 units (a literal of
 * four or more units by its first four): hash probes per position, then a comparison per literal in
 * the bucket against its UTF-16 units in a typed array (comparing against the literal strings
 * themselves, or with `startsWith`, ran several times slower), skipping literals already found.
 * Keying long literals by four units keeps the buckets short ("the" starts dozens of literals, and
 * indexed by three units each was compared wherever "the" occurred); the three- and four-unit
 * probes run only where the shorter prefix starts a longer literal. Built in a few milliseconds (an
 * Aho–Corasick trie of the same literals took ~40 ms to build on the first call).
 */
interface LiteralIndex {
  /** Per bucket: first literal (−1: none); `next` chains the literals of one bucket. */
  readonly heads: readonly [Int32Array, Int32Array, Int32Array, Int32Array];
  /** Per table: one bit per bucket, set when the bucket holds a literal. */
  readonly used: readonly [Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  /**
   * Per prefix length 2 and 3: one bit per bucket of that prefix table, set when the prefix starts
   * a longer literal (the next probe is made only then).
   */
  readonly longer: readonly [Uint32Array, Uint32Array];
  /** The smallest code unit of a one-unit literal (the one-unit table is read only from there). */
  readonly oneMin: number;
  readonly next: Int32Array;
  /** Per literal: its UTF-16 units are `units[unitStart[literal] .. unitStart[literal + 1])`. */
  readonly unitStart: Int32Array;
  readonly units: Uint16Array;
  /** Per literal: its sets are `sets[setStart[literal] .. setStart[literal + 1])` (a literal may be in several). */
  readonly setStart: Int32Array;
  readonly sets: Int32Array;
  readonly requirements: CompactRequirements;
  /**
   * The requirements flattened into arrays: pattern p's conjunctions are `patternStart[p] ..
   * patternStart[p + 1]`, conjunction c's sets are `conjunctionSets[conjunctionStart[c] ..
   * conjunctionStart[c + 1]]`; `always[p]` is 1 when p has no known literals (it always runs).
   */
  readonly always: Uint8Array;
  readonly patternStart: Int32Array;
  readonly conjunctionStart: Int32Array;
  readonly conjunctionSets: Int32Array;
}

/** The bucket of the first `length` (1–4) units of `value`. */
function bucketOf(value: string, length: number): number {
  const c0 = value.charCodeAt(0);
  if (length === 1) return c0 & MASK;
  if (length === 2) return hash2(c0, value.charCodeAt(1));
  if (length === 3) return hash3(c0, value.charCodeAt(1), value.charCodeAt(2));
  return hash4(c0, value.charCodeAt(1), value.charCodeAt(2), value.charCodeAt(3));
}

const setBit = (bits: Uint32Array, bucket: number): void => {
  bits[bucket >>> 5]! |= 1 << (bucket & 31);
};

function buildIndex(requirements: CompactRequirements): LiteralIndex {
  const setsOf = new Map<string, number[]>();
  for (const [id, set] of requirements.sets.entries()) {
    for (const value of set) {
      if (value === '') continue;
      const ids = setsOf.get(value);
      if (ids === undefined) setsOf.set(value, [id]);
      else if (!ids.includes(id)) ids.push(id);
    }
  }
  const literal = [...setsOf.keys()];
  const setStart = new Int32Array(literal.length + 1);
  const unitStart = new Int32Array(literal.length + 1);
  const sets: number[] = [];
  for (const [entry, value] of literal.entries()) {
    sets.push(...setsOf.get(value)!);
    setStart[entry + 1] = sets.length;
    unitStart[entry + 1] = unitStart[entry]! + value.length;
  }
  const units = new Uint16Array(unitStart[literal.length]!);
  for (const [entry, value] of literal.entries()) for (let at = 0; at < value.length; at++) units[unitStart[entry]! + at] = value.charCodeAt(at);
  const table = (): Int32Array => new Int32Array(BUCKETS).fill(-1);
  const bits = (): Uint32Array => new Uint32Array(BUCKETS / 32);
  const heads: [Int32Array, Int32Array, Int32Array, Int32Array] = [table(), table(), table(), table()];
  const used: [Uint32Array, Uint32Array, Uint32Array, Uint32Array] = [bits(), bits(), bits(), bits()];
  const longer: [Uint32Array, Uint32Array] = [bits(), bits()];
  let oneMin = Number.POSITIVE_INFINITY;
  const next = new Int32Array(literal.length);
  // Chained in reverse so that each bucket lists its literals in their original order.
  for (let entry = literal.length - 1; entry >= 0; entry--) {
    const value = literal[entry]!;
    const length = Math.min(4, value.length);
    const bucket = bucketOf(value, length);
    next[entry] = heads[length - 1]![bucket]!;
    heads[length - 1]![bucket] = entry;
    setBit(used[length - 1]!, bucket);
    if (length === 1) oneMin = Math.min(oneMin, value.charCodeAt(0));
    if (length >= 3) setBit(longer[0], bucketOf(value, 2));
    if (length === 4) setBit(longer[1], bucketOf(value, 3));
  }
  const always = new Uint8Array(requirements.patterns.length);
  const patternStart = new Int32Array(requirements.patterns.length + 1);
  const conjunctionStart: number[] = [0];
  const conjunctionSets: number[] = [];
  for (const [pattern, conjunctions] of requirements.patterns.entries()) {
    if (conjunctions === null) always[pattern] = 1;
    for (const conjunction of conjunctions ?? []) {
      conjunctionSets.push(...conjunction);
      conjunctionStart.push(conjunctionSets.length);
    }
    patternStart[pattern + 1] = conjunctionStart.length - 1;
  }
  const flat = { always, patternStart, conjunctionStart: Int32Array.from(conjunctionStart), conjunctionSets: Int32Array.from(conjunctionSets) };
  return { heads, used, longer, oneMin, next, unitStart, units, setStart, sets: Int32Array.from(sets), requirements, ...flat };
}

/** Marks the sets of every not yet seen literal of the chain at `entry` that occurs in `text` (`length` units) at `position`. */
function matchChain(text: Uint16Array, length: number, position: number, entry: number, index: LiteralIndex, seen: Uint8Array, found: Uint8Array): void {
  const { next, unitStart, units, setStart, sets } = index;
  for (; entry !== -1; entry = next[entry]!) {
    if (seen[entry] === 1) continue;
    const end = unitStart[entry + 1]!;
    let at = unitStart[entry]!;
    if (position + end - at > length) continue;
    for (let offset = position; at < end && text[offset] === units[at]; offset++) at++;
    if (at < end) continue;
    seen[entry] = 1;
    for (let set = setStart[entry]!; set < setStart[entry + 1]!; set++) found[sets[set]!] = 1;
  }
}

/**
 * The scanned text's UTF-16 units, reused across calls: reading a typed array is faster than
 * `charCodeAt` on the sliced two-byte strings the callers pass (see `asTwoByte`).
 */
let scratch = new Uint16Array(4_096);

/** Per literal set, 1 when one of its literals occurs in `value`. One pass over the text. */
function foundSets(index: LiteralIndex, value: string): Uint8Array {
  const found = new Uint8Array(index.requirements.sets.length);
  const seen = new Uint8Array(index.next.length);
  const [one, two, three, four] = index.heads;
  const [, twoUsed, threeUsed, fourUsed] = index.used;
  const [twoLonger, threeLonger] = index.longer;
  const { oneMin } = index;
  const length = value.length;
  if (length > scratch.length) scratch = new Uint16Array(Math.max(length, scratch.length * 2));
  const text = scratch;
  for (let at = 0; at < length; at++) text[at] = value.charCodeAt(at);
  for (let position = 0; position < length; position++) {
    const c0 = text[position]!;
    if (c0 >= oneMin) {
      const entry = one[c0 & MASK]!;
      if (entry !== -1) matchChain(text, length, position, entry, index, seen, found);
    }
    if (position + 1 >= length) break;
    const c1 = text[position + 1]!;
    const bucket2 = hash2(c0, c1);
    // Bitsets of the used buckets (a few kB, so they stay in the CPU cache) spare most table reads.
    const word2 = bucket2 >>> 5;
    const bit2 = 1 << (bucket2 & 31);
    if ((twoUsed[word2]! & bit2) !== 0) matchChain(text, length, position, two[bucket2]!, index, seen, found);
    if (position + 2 >= length || (twoLonger[word2]! & bit2) === 0) continue;
    const c2 = text[position + 2]!;
    const bucket3 = hash3(c0, c1, c2);
    const word3 = bucket3 >>> 5;
    const bit3 = 1 << (bucket3 & 31);
    if ((threeUsed[word3]! & bit3) !== 0) matchChain(text, length, position, three[bucket3]!, index, seen, found);
    if (position + 3 >= length || (threeLonger[word3]! & bit3) === 0) continue;
    const bucket4 = hash4(c0, c1, c2, text[position + 3]!);
    if ((fourUsed[bucket4 >>> 5]! & (1 << (bucket4 & 31))) !== 0) matchChain(text, length, position, four[bucket4]!, index, seen, found);
  }
  return found;
}

/**
 * Wraps `patterns` behind a literal prefilter; the literal index is built on the first `candidates`
 * call and each regex on its first `pattern` call.
 *
 * @param precomputed `compactRequirements(patterns)`, generated beside the patterns; read from the
 * sources (on the first call) when omitted or made for another pattern list.
 *
 * @example
 * const gated = createGatedPatterns([{ source: String.raw`\bkill (?:you|him)\b`, flags: 'u' }]);
 * const maybe = gated.candidates('have a nice day'); // [0]: the regex is never compiled
 */
export function createGatedPatterns(patterns: readonly PatternSource[], precomputed?: CompactRequirements): GatedPatterns {
  let index: LiteralIndex | undefined;
  const compiled: (RegExp | undefined)[] = Array.from({ length: patterns.length });
  return {
    candidates(text: string): Uint8Array {
      index ??= buildIndex(precomputed?.patterns.length === patterns.length ? precomputed : compactRequirements(patterns));
      const found = foundSets(index, text);
      const { always, patternStart, conjunctionStart, conjunctionSets } = index;
      const hits = new Uint8Array(patterns.length);
      for (let pattern = 0; pattern < hits.length; pattern++) {
        hits[pattern] = always[pattern]!;
        for (let conjunction = patternStart[pattern]!; conjunction < patternStart[pattern + 1]! && hits[pattern] === 0; conjunction++) {
          let all = 1;
          for (let at = conjunctionStart[conjunction]!; at < conjunctionStart[conjunction + 1]! && all === 1; at++) all = found[conjunctionSets[at]!]!;
          hits[pattern] = all;
        }
      }
      return hits;
    },
    pattern(index: number, twoByte = false): RegExp {
      const { source, flags } = patterns[index]!;
      return (compiled[index] ??= compileEagerly(source, flags, twoByte));
    },
  };
}
