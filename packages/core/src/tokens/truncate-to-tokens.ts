import { approximateTokens } from './approximate-tokens';
import { forEachBpeSlice } from './bpe-slices';
import { loadBpe } from './load-bpe';

const AS_TEXT = { disallowedSpecial: new Set<string>() };

/** What {@link truncateToTokens} kept. */
export interface TruncatedText {
  text: string;
  /** Tokens of `text` (o200k). */
  tokens: number;
  /** True when text was cut. */
  truncated: boolean;
}

/**
 * The longest prefix of `text` that is at most `maxTokens` tokens (o200k), in linear time: slices are
 * counted as in `countTokens`, and only the slice where the limit falls is encoded and cut.
 *
 * @example
 * truncateToTokens('The answer is 391.', 2); // { text: 'The answer', tokens: 2, truncated: true }
 */
export function truncateToTokens(text: string, maxTokens: number): TruncatedText {
  const limit = Math.max(0, Math.floor(maxTokens));
  const bpe = loadBpe();
  if (bpe === undefined) return truncateApproximately(text, limit);
  let tokens = 0;
  let kept = 0;
  let cut: string | undefined;
  forEachBpeSlice(text, text.length, (slice) => {
    if (cut !== undefined) return;
    const count = bpe.countTokens(slice, AS_TEXT);
    if (tokens + count <= limit) {
      tokens += count;
      kept += slice.length;
      return;
    }
    const room = limit - tokens;
    const part = room > 0 ? bpe.decode(bpe.encode(slice, AS_TEXT).slice(0, room)) : '';
    tokens += room;
    cut = text.slice(0, kept) + part;
  });
  return cut === undefined ? { text, tokens, truncated: false } : { text: cut, tokens, truncated: true };
}

/** Without the tokenizer: the longest prefix, cut before a space where possible, whose approximate count fits. Linear. */
function truncateApproximately(text: string, limit: number): TruncatedText {
  const total = approximateTokens(text);
  if (total <= limit) return { text, tokens: total, truncated: false };
  // Walk word by word (cuts before whitespace), counting each piece once.
  let kept = 0;
  let tokens = 0;
  let index = 0;
  while (index < text.length) {
    let next = index + 1;
    while (next < text.length && !/\s/.test(text[next] ?? '')) next++;
    const piece = approximateTokens(text, index, next);
    if (tokens + piece > limit) break;
    tokens += piece;
    kept = next;
    index = next;
  }
  return { text: text.slice(0, kept), tokens, truncated: true };
}
