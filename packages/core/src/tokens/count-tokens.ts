import { countTokens as countWithBpe } from 'gpt-tokenizer/encoding/o200k_base';
import type { ChatMessage } from '../model/chat-message';
import { messageText } from '../model/chat-message';

/** Tokens added per message by the chat format (role markers), as OpenAI documents for its models. */
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_REPLY = 3;

/**
 * Counts tokens of `text` with a real BPE tokenizer (o200k_base, the encoding of current OpenAI models).
 * Other providers' tokenizers differ by a few percent; use provider-reported usage when there is one.
 */
export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  return countWithBpe(text);
}

/** Counts the prompt tokens of a chat, including the per-message format overhead. */
export function countMessageTokens(messages: readonly ChatMessage[]): number {
  let total = TOKENS_PER_REPLY;
  for (const message of messages) {
    total += TOKENS_PER_MESSAGE + countTokens(messageText(message));
    if (message.name) total += 1 + countTokens(message.name);
  }
  return total;
}
