import type { ChatMessage } from '../model/chat-message';
import { messageText } from '../model/chat-message';
import { approximateTokens } from './approximate-tokens';

/**
 * @deprecated The pre-flight estimate no longer runs the tokenizer on any characters (see
 * {@link estimateTokens}); kept for one minor version so imports keep compiling.
 */
export const PREFLIGHT_EXACT_CHARS = 8 * 1024;

const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_REPLY = 3;

/**
 * Cheap token estimate for admission (before limits run), without loading the tokenizer: one linear
 * pass of {@link approximateTokens}. It leans high — on the answers of the bundled traces (GSM8K,
 * MT-Bench, RouterBench; measured, not tuned on) the median reads 1.26–1.44× the o200k count and
 * under 1% of texts read below it (lowest 0.70×) — so reservations stay conservative and are
 * settled at actual usage. Exact counts are {@link countTokens}.
 */
export function estimateTokens(text: string): number {
  return approximateTokens(text);
}

/** {@link estimateTokens} for the prompt of a chat, with the chat format's per-message overhead. */
export function estimateMessageTokens(messages: readonly ChatMessage[]): number {
  let total = TOKENS_PER_REPLY;
  for (const message of messages) {
    total += TOKENS_PER_MESSAGE + approximateTokens(messageText(message));
    if (message.name) total += 1 + approximateTokens(message.name);
  }
  return total;
}
