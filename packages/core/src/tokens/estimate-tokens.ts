import type { ChatMessage } from '../model/chat-message';
import { countMessagesWithinBudget, countWithinBudget } from './count-tokens';

/**
 * Characters of a request counted exactly by the pre-flight estimate; the rest is bounded by UTF-8 length.
 * Small enough that admission costs at most a few milliseconds on any input.
 */
export const PREFLIGHT_EXACT_CHARS = 8 * 1024;

/**
 * Conservative token estimate for admission (before limits run): exact for the first
 * {@link PREFLIGHT_EXACT_CHARS} characters, the UTF-8 byte count (an upper bound) for the rest.
 * Linear and bounded: a 100 KB body costs well under a millisecond more than an 8 KB one.
 */
export function estimateTokens(text: string): number {
  return countWithinBudget(text, { remaining: PREFLIGHT_EXACT_CHARS });
}

/** {@link estimateTokens} for the prompt of a chat, with the per-message overhead; the exact budget is shared by all messages. */
export function estimateMessageTokens(messages: readonly ChatMessage[]): number {
  return countMessagesWithinBudget(messages, { remaining: PREFLIGHT_EXACT_CHARS });
}
