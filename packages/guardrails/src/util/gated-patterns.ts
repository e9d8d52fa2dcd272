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
  /**
   * Per bucket: first literal + 1 (0: none, so the tables need no filling); `next` chains the
   * literals of one bucket (−1 ends a chain).
   */
  readonly heads: readonly [Int32Array, Int32Array, Int32Array, Int32Array];
  /**
   * Per bucket of the two-, three- and four-unit tables: 1 when it holds a literal, | 2 when the
   * prefix starts a longer literal (the next probe is made only then). One byte read per probe, in
   * 16 kB tables that stay in the CPU cache.
   */
  readonly flags: readonly [Uint8Array, Uint8Array, Uint8Array];
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
   * The requirements inverted, so that only the sets a text holds are visited: `always[p]` is 1
   * when pattern p has no known literals (it always runs) or an empty conjunction; set s is in the
   * conjunctions `setConjunctions[setConjunctionStart[s] .. setConjunctionStart[s + 1]]`;
   * conjunction c needs `conjunctionSize[c]` distinct sets and belongs to pattern `conjunctionPattern[c]`.
   */
  readonly always: Uint8Array;
  readonly setConjunctionStart: Int32Array;
  readonly setConjunctions: Int32Array;
  readonly conjunctionSize: Int32Array;
  readonly conjunctionPattern: Int32Array;
}

/** The distinct literals (in order of first appearance) and per literal the sets it is in. */
interface Literals {
  readonly values: readonly string[];
  readonly setStart: Int32Array;
  readonly sets: Int32Array;
  readonly unitStart: Int32Array;
  readonly units: Uint16Array;
}

/*
 * The index is built once, on a process's first text, before the JIT has compiled anything: in that
 * state iterators, spreads, small arrays per entry and bit masks above 2^30 allocate on every step,
 * and a hot loop in a large function gets the whole function compiled by the optimizer. Hence plain
 * indexed loops over typed arrays, in small functions (a first version took ~20 ms of CPU and
 * allocated ~3 MB; these take a few).
 */

function collectLiterals(requirementSets: readonly (readonly string[])[]): Literals {
  let entries = 0;
  for (let id = 0; id < requirementSets.length; id++) entries += requirementSets[id]!.length;
  const literalOf = new Map<string, number>();
  const values: string[] = [];
  // Per entry (set by set): its literal, or −1 (empty, or already listed for this set).
  const entryLiteral = new Int32Array(entries);
  // Per literal: how many sets it is in, and the last of them + 1.
  const setCount = new Int32Array(entries);
  const lastSet = new Int32Array(entries);
  for (let id = 0, entry = 0; id < requirementSets.length; id++) {
    const set = requirementSets[id]!;
    for (let at = 0; at < set.length; at++, entry++) {
      const value = set[at]!;
      let literal = value === '' ? -1 : literalOf.get(value);
      if (literal === undefined) {
        literal = values.push(value) - 1;
        literalOf.set(value, literal);
      }
      if (literal !== -1 && lastSet[literal] !== id + 1) {
        lastSet[literal] = id + 1;
        setCount[literal]!++;
        entryLiteral[entry] = literal;
      } else entryLiteral[entry] = -1;
    }
  }
  const count = values.length;
  const setStart = new Int32Array(count + 1);
  const unitStart = new Int32Array(count + 1);
  for (let literal = 0; literal < count; literal++) {
    setStart[literal + 1] = setStart[literal]! + setCount[literal]!;
    unitStart[literal + 1] = unitStart[literal]! + values[literal]!.length;
  }
  const sets = new Int32Array(setStart[count]!);
  const filled = setStart.slice(0, count);
  for (let id = 0, entry = 0; id < requirementSets.length; id++) {
    for (let at = 0; at < requirementSets[id]!.length; at++, entry++) {
      const literal = entryLiteral[entry]!;
      if (literal !== -1) sets[filled[literal]!++] = id;
    }
  }
  const units = new Uint16Array(unitStart[count]!);
  for (let literal = 0; literal < count; literal++) {
    const value = values[literal]!;
    const start = unitStart[literal]!;
    for (let at = 0; at < value.length; at++) units[start + at] = value.charCodeAt(at);
  }
  return { values, setStart, sets, unitStart, units };
}

/** The hash tables of {@link LiteralIndex} over `values`. */
function hashTables(values: readonly string[]): Pick<LiteralIndex, 'heads' | 'flags' | 'oneMin' | 'next'> {
  const heads: [Int32Array, Int32Array, Int32Array, Int32Array] = [new Int32Array(BUCKETS), new Int32Array(BUCKETS), new Int32Array(BUCKETS), new Int32Array(BUCKETS)];
  const flags: [Uint8Array, Uint8Array, Uint8Array] = [new Uint8Array(BUCKETS), new Uint8Array(BUCKETS), new Uint8Array(BUCKETS)];
  let oneMin = Number.POSITIVE_INFINITY;
  const next = new Int32Array(values.length);
  // Chained in reverse so that each bucket lists its literals in their original order.
  for (let literal = values.length - 1; literal >= 0; literal--) {
    const value = values[literal]!;
    const length = Math.min(4, value.length);
    const table = heads[length - 1]!;
    // The bucket of the first `length` units; a longer literal also marks the buckets of its shorter prefixes.
    const c0 = value.charCodeAt(0);
    let bucket = c0 & MASK;
    if (length === 1) oneMin = Math.min(oneMin, c0);
    else {
      const c1 = value.charCodeAt(1);
      const bucket2 = hash2(c0, c1);
      if (length === 2) {
        bucket = bucket2;
        flags[0][bucket2]! |= 1;
      } else {
        flags[0][bucket2]! |= 2;
        const c2 = value.charCodeAt(2);
        const bucket3 = hash3(c0, c1, c2);
        if (length === 3) {
          bucket = bucket3;
          flags[1][bucket3]! |= 1;
        } else {
          flags[1][bucket3]! |= 2;
          bucket = hash4(c0, c1, c2, value.charCodeAt(3));
          flags[2][bucket] = 1;
        }
      }
    }
    next[literal] = table[bucket]! - 1;
    table[bucket] = literal + 1;
  }
  return { heads, flags, oneMin, next };
}

/** Whether `conjunction[at]` is the first occurrence of its set in the conjunction. */
const firstOccurrence = (conjunction: readonly number[], at: number): boolean => conjunction.indexOf(conjunction[at]!) === at;

/** The requirements inverted (see {@link LiteralIndex}): per set, the conjunctions it is in, each set counted once per conjunction. */
function invertRequirements(requirements: CompactRequirements): Pick<LiteralIndex, 'always' | 'setConjunctionStart' | 'setConjunctions' | 'conjunctionSize' | 'conjunctionPattern'> {
  const { patterns, sets } = requirements;
  const always = new Uint8Array(patterns.length);
  let conjunctions = 0;
  for (let pattern = 0; pattern < patterns.length; pattern++) conjunctions += patterns[pattern]?.length ?? 0;
  const conjunctionSize = new Int32Array(conjunctions);
  const conjunctionPattern = new Int32Array(conjunctions);
  const setConjunctionStart = new Int32Array(sets.length + 1);
  for (let pattern = 0, id = 0; pattern < patterns.length; pattern++) {
    const list = patterns[pattern];
    if (list === null || list === undefined) {
      always[pattern] = 1;
      continue;
    }
    for (let index = 0; index < list.length; index++, id++) {
      const conjunction = list[index]!;
      let size = 0;
      for (let at = 0; at < conjunction.length; at++) {
        if (!firstOccurrence(conjunction, at)) continue;
        size++;
        setConjunctionStart[conjunction[at]! + 1]!++;
      }
      if (size === 0) always[pattern] = 1;
      conjunctionSize[id] = size;
      conjunctionPattern[id] = pattern;
    }
  }
  for (let set = 0; set < sets.length; set++) setConjunctionStart[set + 1]! += setConjunctionStart[set]!;
  const setConjunctions = new Int32Array(setConjunctionStart[sets.length]!);
  const filled = setConjunctionStart.slice(0, sets.length);
  for (let pattern = 0, id = 0; pattern < patterns.length; pattern++) {
    const list = patterns[pattern] ?? [];
    for (let index = 0; index < list.length; index++, id++) {
      const conjunction = list[index]!;
      for (let at = 0; at < conjunction.length; at++) if (firstOccurrence(conjunction, at)) setConjunctions[filled[conjunction[at]!]!++] = id;
    }
  }
  return { always, setConjunctionStart, setConjunctions, conjunctionSize, conjunctionPattern };
}

function buildIndex(requirements: CompactRequirements): LiteralIndex {
  const { values, setStart, sets, unitStart, units } = collectLiterals(requirements.sets);
  return { ...hashTables(values), unitStart, units, setStart, sets, requirements, ...invertRequirements(requirements) };
}

/** Marks the sets of every not yet seen literal of the chain at `entry` that occurs in `text` (`length` units) at `position`. */
function matchChain(text: Uint16Array, length: number, position: number, entry: number, index: LiteralIndex, seen: Uint8Array, found: Uint8Array, list: Int32Array): void {
  const { next, unitStart, units, setStart, sets } = index;
  for (; entry !== -1; entry = next[entry]!) {
    if (seen[entry] === 1) continue;
    const end = unitStart[entry + 1]!;
    let at = unitStart[entry]!;
    if (position + end - at > length) continue;
    for (let offset = position; at < end && text[offset] === units[at]; offset++) at++;
    if (at < end) continue;
    seen[entry] = 1;
    for (let at = setStart[entry]!; at < setStart[entry + 1]!; at++) {
      const set = sets[at]!;
      if (found[set] === 1) continue;
      found[set] = 1;
      // list[0]: how many sets were found; the sets follow it.
      list[++list[0]!] = set;
    }
  }
}

/**
 * The scanned text's UTF-16 units, reused across calls: reading a typed array is faster than
 * `charCodeAt` on the sliced two-byte strings the callers pass (see `asTwoByte`).
 */
let scratch = new Uint16Array(4_096);

/**
 * The literal sets that occur in `value`: 1 per set in `found`, and listed in `list` (count at
 * `list[0]`); `seen` is per literal. One pass over the text. The arrays are the caller's, reused
 * across calls and cleared here.
 */
function foundSets(index: LiteralIndex, value: string, found: Uint8Array, seen: Uint8Array, list: Int32Array): void {
  found.fill(0);
  seen.fill(0);
  list[0] = 0;
  const [one, two, three, four] = index.heads;
  const [twoFlags, threeFlags, fourFlags] = index.flags;
  const { oneMin } = index;
  const length = value.length;
  if (length > scratch.length) scratch = new Uint16Array(Math.max(length, scratch.length * 2));
  const text = scratch;
  for (let at = 0; at < length; at++) text[at] = value.charCodeAt(at);
  for (let position = 0; position < length; position++) {
    const c0 = text[position]!;
    if (c0 >= oneMin) {
      const head = one[c0 & MASK]!;
      if (head !== 0) matchChain(text, length, position, head - 1, index, seen, found, list);
    }
    if (position + 1 >= length) break;
    const c1 = text[position + 1]!;
    const bucket2 = hash2(c0, c1);
    // Per bucket: 1 = holds a literal, 2 = starts a longer one (16 kB tables, so they stay in the CPU cache).
    const flags2 = twoFlags[bucket2]!;
    if (flags2 === 0) continue;
    if ((flags2 & 1) !== 0) matchChain(text, length, position, two[bucket2]! - 1, index, seen, found, list);
    if (flags2 === 1 || position + 2 >= length) continue;
    const c2 = text[position + 2]!;
    const bucket3 = hash3(c0, c1, c2);
    const flags3 = threeFlags[bucket3]!;
    if ((flags3 & 1) !== 0) matchChain(text, length, position, three[bucket3]! - 1, index, seen, found, list);
    if (flags3 < 2 || position + 3 >= length) continue;
    const bucket4 = hash4(c0, c1, c2, text[position + 3]!);
    if (fourFlags[bucket4] !== 0) matchChain(text, length, position, four[bucket4]! - 1, index, seen, found, list);
  }
}

/**
 * Sets `hits[p]` to 1 for each pattern p that has no literals or whose sets of one conjunction were
 * all found (`list`: the found sets, `count` of them); returns `hits`. `met` (per conjunction, all
 * 0) counts the found sets of each conjunction, and is left all 0 again.
 */
function possiblePatterns(index: LiteralIndex, list: Int32Array, count: number, met: Int32Array, hits: Uint8Array): Uint8Array {
  const { setConjunctionStart, setConjunctions, conjunctionSize, conjunctionPattern } = index;
  hits.set(index.always);
  for (let at = 0; at < count; at++) {
    const set = list[at]!;
    const end = setConjunctionStart[set + 1]!;
    for (let entry = setConjunctionStart[set]!; entry < end; entry++) {
      const conjunction = setConjunctions[entry]!;
      const sets = met[conjunction]! + 1;
      met[conjunction] = sets;
      if (sets === conjunctionSize[conjunction]) hits[conjunctionPattern[conjunction]!] = 1;
    }
  }
  for (let at = 0; at < count; at++) {
    const set = list[at]!;
    for (let entry = setConjunctionStart[set]!; entry < setConjunctionStart[set + 1]!; entry++) met[setConjunctions[entry]!] = 0;
  }
  return hits;
}

/** Bytes carved into the `candidates` results. */
const SLAB = 1 << 16;
let slab = new ArrayBuffer(SLAB);
let slabUsed = 0;

/**
 * A zeroed byte array of `length`, viewed on a shared slab: `new Uint8Array(n)` above 64 bytes
 * allocates its own off-heap store, which cost more than scanning a short text. Each view has its
 * own bytes (a full slab is replaced, never reused), so results stay independent.
 */
function zeroedBytes(length: number): Uint8Array {
  if (length > SLAB / 8) return new Uint8Array(length);
  if (slabUsed + length > SLAB) {
    slab = new ArrayBuffer(SLAB);
    slabUsed = 0;
  }
  const bytes = new Uint8Array(slab, slabUsed, length);
  slabUsed += length;
  return bytes;
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
  // Per set, per literal, the found sets and per conjunction: reused by every call (each left cleared or cleared on use).
  let found = new Uint8Array(0);
  let seen = new Uint8Array(0);
  let list = new Int32Array(1);
  let met = new Int32Array(0);
  const compiled: (RegExp | undefined)[] = Array.from({ length: patterns.length });
  return {
    candidates(text: string): Uint8Array {
      if (index === undefined) {
        index = buildIndex(precomputed?.patterns.length === patterns.length ? precomputed : compactRequirements(patterns));
        found = new Uint8Array(index.requirements.sets.length);
        seen = new Uint8Array(index.next.length);
        list = new Int32Array(found.length + 1);
        met = new Int32Array(index.conjunctionSize.length);
      }
      foundSets(index, text, found, seen, list);
      return possiblePatterns(index, list.subarray(1), list[0]!, met, zeroedBytes(patterns.length));
    },
    pattern(index: number, twoByte = false): RegExp {
      const { source, flags } = patterns[index]!;
      return (compiled[index] ??= compileEagerly(source, flags, twoByte));
    },
  };
}
