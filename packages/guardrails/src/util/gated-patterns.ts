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
  /** The pattern at `index`, compiled on first use. */
  pattern(index: number): RegExp;
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

/** Reads the requirements of every pattern and numbers the distinct sets. */
export function compactRequirements(patterns: readonly PatternSource[]): CompactRequirements {
  const sets: (readonly string[])[] = [];
  const ids = new Map<string, number>();
  const setId = (set: readonly string[]): number => {
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

/**
 * The literals indexed by their first one, two or three UTF-16 units: one hash probe per
 * position and prefix length, then a `startsWith` per literal in the bucket. Built in a few
 * milliseconds (an Aho–Corasick trie of the same literals took ~40 ms to build on the first call).
 */
interface LiteralIndex {
  /** Per bucket: first entry (−1: none); `next` chains entries of one bucket. */
  readonly heads: readonly [Int32Array, Int32Array, Int32Array];
  readonly next: Int32Array;
  readonly literal: readonly string[];
  /** Per entry: the literal set it belongs to. */
  readonly set: Int32Array;
  readonly requirements: CompactRequirements;
}

function buildIndex(requirements: CompactRequirements): LiteralIndex {
  const literal: string[] = [];
  const sets: number[] = [];
  for (const [id, set] of requirements.sets.entries()) {
    for (const value of set) {
      if (value === '') continue;
      literal.push(value);
      sets.push(id);
    }
  }
  const heads: [Int32Array, Int32Array, Int32Array] = [new Int32Array(BUCKETS).fill(-1), new Int32Array(BUCKETS).fill(-1), new Int32Array(BUCKETS).fill(-1)];
  const next = new Int32Array(literal.length);
  for (let entry = 0; entry < literal.length; entry++) {
    const value = literal[entry]!;
    const length = Math.min(3, value.length);
    const c0 = value.charCodeAt(0);
    const bucket = length === 1 ? c0 & MASK : length === 2 ? hash2(c0, value.charCodeAt(1)) : hash3(c0, value.charCodeAt(1), value.charCodeAt(2));
    const table = heads[length - 1]!;
    next[entry] = table[bucket]!;
    table[bucket] = entry;
  }
  return { heads, next, literal, set: Int32Array.from(sets), requirements };
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
      const { heads, next, literal, set, requirements } = index;
      const found = new Uint8Array(requirements.sets.length);
      const visit = (entryHead: number, position: number): void => {
        for (let entry = entryHead; entry !== -1; entry = next[entry]!) {
          if (found[set[entry]!] === 0 && text.startsWith(literal[entry]!, position)) found[set[entry]!] = 1;
        }
      };
      for (let position = 0; position < text.length; position++) {
        const c0 = text.charCodeAt(position);
        visit(heads[0][c0 & MASK]!, position);
        if (position + 1 >= text.length) break;
        const c1 = text.charCodeAt(position + 1);
        visit(heads[1][hash2(c0, c1)]!, position);
        if (position + 2 < text.length) visit(heads[2][hash3(c0, c1, text.charCodeAt(position + 2))]!, position);
      }
      const hits = new Uint8Array(patterns.length);
      for (const [pattern, conjunctions] of requirements.patterns.entries()) {
        hits[pattern] = conjunctions === null || conjunctions.some((conjunction) => conjunction.every((id) => found[id] === 1)) ? 1 : 0;
      }
      return hits;
    },
    pattern(index: number): RegExp {
      const { source, flags } = patterns[index]!;
      return (compiled[index] ??= new RegExp(source, flags));
    },
  };
}
