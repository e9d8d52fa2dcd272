import { compileEagerly } from '../util/eager-regexp';

/**
 * A lexicon rule of the form `\b(?:VERBS) (?:PREFIXES)?OBJECT\b`, tested in two steps with the
 * same result as the one regex. V8 compiles a concatenation of two large alternations into code
 * that copies one per branch of the other: the one-regex `kill-people` rule cost ~15–20 ms of CPU
 * on the first moderation call, its two halves ~1 ms together.
 */
export interface TwoStepRule {
  /** The rule as one regex source (gating, the generated literal file, the equivalence test). */
  readonly source: string;
  /** Whether `text` matches `source`. */
  test(text: string): boolean;
}

/**
 * @param verbs alternation of single words (word characters only, no space), e.g. `(?:kill(?:ed)?|shot)`.
 * Each match of `\b${verbs} ` then ends at the first space after its start and no other match
 * starts inside it, so scanning its matches left to right visits every place the object can start.
 * @param prefixes literal words tried before the object (`a `, `the `); the object is also tried without.
 * @param object the alternation after the verb and optional prefix.
 */
export function twoStepRule(verbs: string, prefixes: readonly string[], object: string): TwoStepRule {
  let head: RegExp | undefined;
  let tail: RegExp | undefined;
  const tailAt = (text: string, position: number): boolean => {
    tail!.lastIndex = position;
    return tail!.test(text);
  };
  return {
    source: String.raw`\b${verbs} ${prefixes.length > 0 ? `(?:${prefixes.join('|')})?` : ''}${object}\b`,
    test(text: string): boolean {
      // The lexicon tests two-byte text (local-moderator.ts, `asTwoByte`): compiled for that.
      head ??= compileEagerly(String.raw`\b${verbs} `, 'gu', true);
      tail ??= compileEagerly(String.raw`${object}\b`, 'uy', true);
      for (const match of text.matchAll(head)) {
        const end = match.index + match[0].length;
        // The optional prefix is greedy in the one regex, but any way through it counts as a match.
        for (const prefix of prefixes) if (text.startsWith(prefix, end) && tailAt(text, end + prefix.length)) return true;
        if (tailAt(text, end)) return true;
      }
      return false;
    },
  };
}
