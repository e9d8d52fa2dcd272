/**
 * A regexp compiled straight to machine code. V8 first runs a new regexp in its bytecode
 * interpreter and compiles it to machine code when it runs again; for the large word-list patterns
 * of the lexicons, generating that bytecode costs several times the machine-code compile (~25–45 ms
 * against ~5 ms for a few KB of alternatives), paid again by every process on its first texts. A
 * first run on a subject of 1000+ characters makes V8 skip the bytecode tier for that regexp for
 * good (its rule for long subjects). The warm-up subject is spaces, which none of these patterns
 * match; it costs microseconds. Results are unchanged: only when and how the regexp is compiled.
 *
 * @param twoByte warm up on a two-byte string (V8 compiles a regexp per string representation: pass
 * true for a pattern that only ever sees two-byte text).
 */
export function compileEagerly(source: string, flags: string, twoByte = false): RegExp {
  const regex = new RegExp(source, flags);
  regex.test(twoByte ? TWO_BYTE_SPACES : ONE_BYTE_SPACES);
  regex.lastIndex = 0;
  return regex;
}

const ONE_BYTE_SPACES = ' '.repeat(1_000);
/** Ends with a paragraph separator: a two-byte string. */
const TWO_BYTE_SPACES = `${' '.repeat(999)}\u2029`;

/**
 * The same text held as a two-byte string (a slice of a two-byte copy; texts under 13 characters,
 * which V8 copies instead of slicing, are returned as they are). V8 compiles a regexp once per string
 * representation, and text arrives both ways (one character above U+00FF makes a string two-byte):
 * giving a pattern only two-byte text compiles it once (~1–10 ms for a large one) instead of twice.
 * Matching reads the characters only, so results are unchanged.
 */
export function asTwoByte(text: string): string {
  return text.length < 13 ? text : `${text}\u2029`.slice(0, text.length);
}
