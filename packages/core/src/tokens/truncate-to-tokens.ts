import { countTokens as countWithBpe, decode, encode } from 'gpt-tokenizer/encoding/o200k_base';
import { forEachBpeSlice } from './bpe-slices';

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
  let tokens = 0;
  let kept = 0;
  let cut: string | undefined;
  forEachBpeSlice(text, text.length, (slice) => {
    if (cut !== undefined) return;
    const count = countWithBpe(slice, AS_TEXT);
    if (tokens + count <= limit) {
      tokens += count;
      kept += slice.length;
      return;
    }
    const room = limit - tokens;
    const part = room > 0 ? decode(encode(slice, AS_TEXT).slice(0, room)) : '';
    tokens += room;
    cut = text.slice(0, kept) + part;
  });
  return cut === undefined ? { text, tokens, truncated: false } : { text: cut, tokens, truncated: true };
}
