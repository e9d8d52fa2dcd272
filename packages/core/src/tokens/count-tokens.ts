import type { ChatMessage } from '../model/chat-message';
import { messageText } from '../model/chat-message';
import { approximateTokens } from './approximate-tokens';
import { forEachBpeSlice, utf8Bytes } from './bpe-slices';
import { loadBpe } from './load-bpe';

/** Tokens added per message by the chat format (role markers), as OpenAI documents for its models. */
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_REPLY = 3;

/**
 * Characters counted with the tokenizer per call (per chat for {@link countMessageTokens}); the rest is
 * bounded by its UTF-8 length. Keeps one call under ~100 ms even on random CJK, the tokenizer's slowest input.
 */
export const EXACT_COUNT_CHARS = 64 * 1024;

// Text such as "<|endoftext|>" in a prompt is counted as text, never refused (the tokenizer throws by default).
const AS_TEXT = { disallowedSpecial: new Set<string>() };

/** A budget of characters still to count exactly, shared by the texts of one chat. */
export interface ExactBudget {
  remaining: number;
}

/**
 * Tokens of `text`: exact (o200k BPE on bounded slices, see `bpe-slices.ts`) for the first
 * `budget.remaining` characters, an upper bound (UTF-8 bytes) for the rest. Linear time.
 */
export function countWithinBudget(text: string, budget: ExactBudget): number {
  if (text.length === 0) return 0;
  const bpe = loadBpe();
  if (bpe === undefined) return approximateTokens(text);
  let end = Math.min(text.length, Math.max(0, budget.remaining));
  // Never split a surrogate pair between the counted part and the bounded rest.
  if (end > 0 && end < text.length && (text.charCodeAt(end) & 0xfc00) === 0xdc00) end--;
  budget.remaining -= end;
  let total = 0;
  forEachBpeSlice(text, end, (slice) => {
    total += bpe.countTokens(slice, AS_TEXT);
  });
  return end < text.length ? total + utf8Bytes(text, end) : total;
}

/**
 * Counts tokens of `text` with a real BPE tokenizer (o200k_base, the encoding of current OpenAI models),
 * loaded on the first call (not at import) from the optional peer `gpt-tokenizer`; without it, an
 * approximation ({@link approximateTokens}, leaning high) — check with `hasExactTokenizer()`.
 * Synchronous and linear in the text: exact for ordinary text; a run of over 256 chars without a space or
 * line break is cut, which may add a token per cut; past {@link EXACT_COUNT_CHARS} characters the rest is
 * bounded by its UTF-8 length (an over-count). Other providers' tokenizers differ by a few percent; use
 * provider-reported usage when there is one.
 *
 * @example
 * countTokens('Hello, world!'); // 4
 */
export function countTokens(text: string): number {
  return countWithinBudget(text, { remaining: EXACT_COUNT_CHARS });
}

/** Counts the prompt tokens of a chat, including the per-message format overhead (linear; see {@link countTokens}). */
export function countMessageTokens(messages: readonly ChatMessage[]): number {
  return countMessagesWithinBudget(messages, { remaining: EXACT_COUNT_CHARS });
}

/** {@link countMessageTokens} with a shared budget of exactly counted characters. */
export function countMessagesWithinBudget(messages: readonly ChatMessage[], budget: ExactBudget): number {
  let total = TOKENS_PER_REPLY;
  for (const message of messages) {
    total += TOKENS_PER_MESSAGE + countWithinBudget(messageText(message), budget);
    if (message.name) total += 1 + countWithinBudget(message.name, budget);
  }
  return total;
}
