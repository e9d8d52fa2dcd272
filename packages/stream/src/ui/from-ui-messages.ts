import { type ChatMessage, parseInput } from '@cascade/core';
import { z } from 'zod';

/** The UI messages a `useChat` client posts (`{ id, role, parts }`): only what the cascade reads is checked. */
export const uiMessagesSchema = z
  .array(
    z.looseObject({
      role: z.enum(['system', 'user', 'assistant']),
      parts: z.array(z.looseObject({ type: z.string(), text: z.string().optional() })),
    }),
  )
  .min(1);

/**
 * The messages of a `useChat` request body (AI SDK UI messages) as chat messages for `streamCascade`:
 * the text parts of each message joined in order; other parts (tools, files, reasoning, data) are
 * skipped, and messages left without text are dropped. The body is untrusted: a bad shape is `INVALID_INPUT`.
 *
 * @example
 * const { messages } = await request.json();
 * return streamCascade(agent, fromUIMessages(messages)).toUIMessageStreamResponse();
 */
export function fromUIMessages(messages: unknown): ChatMessage[] {
  const parsed = parseInput(uiMessagesSchema, messages, 'UI messages (useChat request body `messages`)');
  const chat: ChatMessage[] = [];
  for (const message of parsed) {
    const text = message.parts.filter((part) => part.type === 'text' && typeof part.text === 'string').map((part) => part.text).join('');
    if (text.length > 0) chat.push({ role: message.role, content: text });
  }
  return chat;
}
