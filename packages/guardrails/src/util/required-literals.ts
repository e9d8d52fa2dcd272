/**
 * Literals a regex cannot match without. `requiredLiterals(source)` returns a disjunction of
 * conjunctions: every match contains, for at least one conjunction, one literal of each of its
 * sets — or `undefined` when nothing is known (a pattern made only of classes, say). A text that
 * satisfies no conjunction cannot match, so the pattern need not run — nor be compiled, which for
 * the large lexicon patterns costs V8 far more than running them (see gated-patterns.ts).
 * `\bkill (?:you|him)\b|\bslur\b` → `[[['kill'], ['you', 'him']], [['slur']]]`.
 *
 * A small recursive-descent reader of the JavaScript regex syntax the lexicons use (groups,
 * lookarounds, classes, escapes, quantifiers). Conservative by construction: anything it does not
 * read as a mandatory literal character only ends a literal run; lookarounds and assertions are
 * zero-width and skipped.
 */

/** Alternatives: a match contains one of them. */
export type LiteralSet = readonly string[];
/** Sets that a match contains one literal of each. */
export type LiteralConjunction = readonly LiteralSet[];
/** Conjunctions one of which every match satisfies; `undefined`: no literal is known to be required. */
export type RequiredLiterals = readonly LiteralConjunction[] | undefined;

type Atom = { kind: 'char'; char: string } | { kind: 'chars'; chars: readonly string[] } | { kind: 'zero' } | { kind: 'other'; literals: RequiredLiterals };

/** A literal run may branch on small classes (`n[i1]gg` → nigg, n1gg) up to this many strings. */
const MAX_RUN_VARIANTS = 16;
/** Classes of at most this many plain characters extend a literal run. */
const MAX_CLASS_CHARS = 4;
/** Conjunctions kept per pattern: beyond, an element's alternatives collapse into one set. */
const MAX_CONJUNCTIONS = 32;
/** Sets kept per conjunction (the most selective): more would cost lookups and gain little. */
const MAX_SETS = 3;

/** Smallest length in a literal set (what makes it selective). */
const shortest = (literals: LiteralSet): number => literals.reduce((min, literal) => Math.min(min, literal.length), Number.POSITIVE_INFINITY);

/** Sort order of sets: longer shortest literal first, then fewer literals. */
const bySelectivity = (a: LiteralSet, b: LiteralSet): number => shortest(b) - shortest(a) || a.length - b.length;

/** One set every match of `literals` contains a literal of: the most selective set of each conjunction, joined. */
function collapse(literals: readonly LiteralConjunction[]): LiteralSet {
  return [...new Set(literals.flatMap((conjunction) => [...conjunction].sort(bySelectivity)[0]!))];
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', '0': '\0' };

class RegexReader {
  private index = 0;

  constructor(private readonly source: string) {}

  read(): RequiredLiterals {
    const literals = this.alternation();
    // An unbalanced ')' or anything unread: do not trust the result.
    return this.index === this.source.length ? literals : undefined;
  }

  private alternation(): RequiredLiterals {
    const branches: RequiredLiterals[] = [this.sequence()];
    while (this.source[this.index] === '|') {
      this.index++;
      branches.push(this.sequence());
    }
    if (branches.some((branch) => branch === undefined)) return undefined;
    const conjunctions = branches.flatMap((branch) => branch!);
    // Alternatives that each need one set are one set ("kill|murder", not two conjunctions).
    if (conjunctions.length > MAX_CONJUNCTIONS || conjunctions.every((conjunction) => conjunction.length === 1)) return [[collapse(conjunctions)]];
    return conjunctions;
  }

  private sequence(): RequiredLiterals {
    // Each mandatory element's requirement; their product is the sequence's.
    const elements: (readonly LiteralConjunction[])[] = [];
    let run: string[] = [''];
    const endRun = (): void => {
      if (run[0] !== '') elements.push([[run]]);
      run = [''];
    };
    while (this.index < this.source.length && this.source[this.index] !== '|' && this.source[this.index] !== ')') {
      const atom = this.atom();
      const { min, max } = this.quantifier();
      if (atom.kind === 'zero') continue;
      if (atom.kind === 'char' || atom.kind === 'chars') {
        const chars = atom.kind === 'char' ? [atom.char] : atom.chars;
        if (min >= 1) {
          if (run.length * chars.length > MAX_RUN_VARIANTS) endRun();
          run = run.flatMap((prefix) => chars.map((char) => prefix + char.repeat(min)));
        }
        // "x?" or "x+": what follows is not at a known offset.
        if (max !== min) endRun();
        continue;
      }
      endRun();
      if (min >= 1 && atom.literals !== undefined) elements.push(atom.literals);
    }
    endRun();
    if (elements.length === 0) return undefined;
    let product: LiteralSet[][] = [[]];
    for (const element of elements) {
      if (product.length * element.length <= MAX_CONJUNCTIONS) product = product.flatMap((conjunction) => element.map((alternative) => [...conjunction, ...alternative]));
      else {
        const set = collapse(element);
        product = product.map((conjunction) => [...conjunction, set]);
      }
    }
    // A one-character set ("a space") hits nearly every text: kept only when nothing better is known.
    return product.map((conjunction) => {
      const sorted = [...new Set(conjunction)].sort(bySelectivity);
      const useful = sorted.filter((set) => shortest(set) >= 2);
      return (useful.length > 0 ? useful : sorted).slice(0, MAX_SETS);
    });
  }

  private quantifier(): { min: number; max: number } {
    const char = this.source[this.index];
    let min = 1;
    let max = 1;
    if (char === '*' || char === '+' || char === '?') {
      this.index++;
      min = char === '+' ? 1 : 0;
      max = char === '?' ? 1 : Number.POSITIVE_INFINITY;
    } else if (char === '{') {
      const close = this.source.indexOf('}', this.index);
      const match = close === -1 ? null : /^\{(\d+)(,(\d*))?\}$/.exec(this.source.slice(this.index, close + 1));
      if (!match) return { min, max };
      this.index = close + 1;
      min = Number(match[1]);
      max = match[2] === undefined ? min : match[3] === '' ? Number.POSITIVE_INFINITY : Number(match[3]);
    } else {
      return { min, max };
    }
    if (this.source[this.index] === '?') this.index++;
    return { min, max };
  }

  private atom(): Atom {
    const char = this.source[this.index]!;
    this.index++;
    switch (char) {
      case '(':
        return this.group();
      case '[':
        return this.characterClass();
      case '.':
        return { kind: 'other', literals: undefined };
      case '^':
      case '$':
        return { kind: 'zero' };
      case '\\':
        return this.escape();
      default: {
        // Keep a surrogate pair whole.
        const code = char.charCodeAt(0);
        if (code >= 0xd800 && code <= 0xdbff && this.index < this.source.length) return { kind: 'char', char: char + this.source[this.index++]! };
        return { kind: 'char', char };
      }
    }
  }

  private group(): Atom {
    let zeroWidth = false;
    if (this.source[this.index] === '?') {
      const next = this.source[this.index + 1];
      if (next === ':') this.index += 2;
      else if (next === '=' || next === '!') {
        this.index += 2;
        zeroWidth = true;
      } else if (next === '<' && (this.source[this.index + 2] === '=' || this.source[this.index + 2] === '!')) {
        this.index += 3;
        zeroWidth = true;
      } else if (next === '<') {
        this.index = this.source.indexOf('>', this.index) + 1;
      }
    }
    const literals = this.alternation();
    if (this.source[this.index] === ')') this.index++;
    else this.index = this.source.length + 1; // unbalanced: read() rejects
    return zeroWidth ? { kind: 'zero' } : { kind: 'other', literals };
  }

  /** A class: a few plain characters (`[i1]`, `[ -]`) as alternatives, anything else as unknown. */
  private characterClass(): Atom {
    const start = this.index;
    while (this.index < this.source.length && this.source[this.index] !== ']') this.index += this.source[this.index] === '\\' ? 2 : 1;
    const body = this.source.slice(start, this.index);
    this.index++;
    const plain = body.length > 0 && body.length <= MAX_CLASS_CHARS && !/[\\^\-\ud800-\udfff]/u.test(body);
    return plain ? { kind: 'chars', chars: [...new Set(body)] } : { kind: 'other', literals: undefined };
  }

  private escape(): Atom {
    const char = this.source[this.index]!;
    this.index++;
    if (char === 'b' || char === 'B') return { kind: 'zero' };
    if ('dDwWsS'.includes(char)) return { kind: 'other', literals: undefined };
    if (char === 'p' || char === 'P') {
      if (this.source[this.index] === '{') this.index = this.source.indexOf('}', this.index) + 1;
      return { kind: 'other', literals: undefined };
    }
    if (char === 'u' && this.source[this.index] === '{') {
      const close = this.source.indexOf('}', this.index);
      const point = Number.parseInt(this.source.slice(this.index + 1, close), 16);
      this.index = close + 1;
      return { kind: 'char', char: String.fromCodePoint(point) };
    }
    if (char === 'u' || char === 'x') {
      const length = char === 'u' ? 4 : 2;
      const hex = this.source.slice(this.index, this.index + length);
      this.index += length;
      return { kind: 'char', char: String.fromCharCode(Number.parseInt(hex, 16)) };
    }
    if (char === 'c' || char === 'k' || (char >= '1' && char <= '9')) {
      if (char === 'c') this.index++;
      if (char === 'k') this.index = this.source.indexOf('>', this.index) + 1;
      return { kind: 'other', literals: undefined };
    }
    return { kind: 'char', char: SIMPLE_ESCAPES[char] ?? char };
  }
}

/**
 * Literal requirements of `source` (see the module comment), or `undefined` if none are known.
 *
 * @example
 * requiredLiterals(String.raw`\b(?:kill|murder)s? (?:you|him)\b`); // [[['kill', 'murder'], ['you', 'him']]]
 */
export function requiredLiterals(source: string): RequiredLiterals {
  return new RegexReader(source).read();
}
