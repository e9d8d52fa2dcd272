/**
 * Where text may be cut before BPE without changing the count. The o200k pre-tokenizer splits text
 * into pieces and BPE works on each piece in time that grows faster than its length, so one long
 * piece (32 k of `中`, of `\u200b`, of `a`) costs seconds. Cutting the text into bounded slices at
 * places where the pre-tokenizer splits anyway keeps the count exact for normal text; a run with no
 * such place longer than `maxRun` is cut by force, which may add a token or so per cut.
 */

/** Longest run (chars) between two cuts before a forced cut. BPE on 256 chars costs well under a millisecond. */
export const MAX_RUN_CHARS = 256;
/** Largest slice (chars) handed to the tokenizer at once, cut at a safe place. */
export const MAX_SLICE_CHARS = 4096;

/** JavaScript's `\s` (what the o200k split regex uses). */
function isWhitespace(code: number): boolean {
  if (code <= 32) return code === 32 || (code >= 9 && code <= 13);
  if (code < 160) return false;
  return (
    code === 160 || code === 5760 || (code >= 8192 && code <= 8202) || code === 8232 || code === 8233 || code === 8239 || code === 8287 ||
    code === 12288 || code === 65279
  );
}

/**
 * True when no o200k pre-tokenizer piece spans `index - 1` and `index`, whatever follows:
 * - before whitespace other than CR/LF that follows a non-space (only a piece's first char may precede a
 *   space inside it, and never a space: `[^\r\n\p{L}\p{N}]?` is followed by letters, ` ?` is a space);
 * - after CR/LF before a non-space other than `/` (only `[\r\n/]*` continues past a newline).
 */
function isSafeCut(text: string, index: number): boolean {
  const previous = text.charCodeAt(index - 1);
  const current = text.charCodeAt(index);
  if (previous === 10 || previous === 13) return !isWhitespace(current) && current !== 47;
  return current !== 10 && current !== 13 && isWhitespace(current) && !isWhitespace(previous);
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Calls `visit` with consecutive slices of `text[0, end)` that together make it up, each at most
 * `maxSlice` chars plus one run, and no pre-tokenizer piece longer than `maxRun`. One linear pass.
 */
export function forEachBpeSlice(
  text: string,
  end: number,
  visit: (slice: string) => void,
  maxRun: number = MAX_RUN_CHARS,
  maxSlice: number = MAX_SLICE_CHARS,
): void {
  if (end <= maxRun) {
    if (end > 0) visit(end === text.length ? text : text.slice(0, end));
    return;
  }
  let start = 0;
  let lastCut = 0;
  let runStart = 0;
  for (let index = 1; index < end; index++) {
    if (isSafeCut(text, index)) {
      lastCut = index;
      runStart = index;
    } else if (index - runStart >= maxRun && !isLowSurrogate(text.charCodeAt(index))) {
      visit(text.slice(start, index));
      start = lastCut = runStart = index;
      continue;
    }
    if (index - start >= maxSlice && lastCut > start) {
      visit(text.slice(start, lastCut));
      start = lastCut;
    }
  }
  visit(text.slice(start, end));
}

/** UTF-8 length of `text[start, end)`: an upper bound on its BPE tokens (every token is at least one byte). */
export function utf8Bytes(text: string, start = 0, end = text.length): number {
  let bytes = 0;
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      index++;
    } else bytes += 3;
  }
  return bytes;
}
