import { CascadeError, type ChatRequest } from '@cascade/core';
import { fromUIMessages } from '@cascade/stream';
import { z } from 'zod';
import { HttpError } from './http-error';

/**
 * The body `useChat` posts (AI SDK 5/6 `DefaultChatTransport`): `{ id, messages, trigger, messageId, ... }`.
 * Only `messages` is read; the other fields are the client's own, so the object stays loose.
 */
const uiChatBodySchema = z.looseObject({ messages: z.array(z.unknown()).min(1).max(500) });

/** Validates a `useChat` body into a chat request; a bad body is a 400 naming what to fix. */
export function parseUIChatRequest(body: unknown): ChatRequest {
  const parsed = uiChatBodySchema.safeParse(body);
  if (!parsed.success) {
    throw new HttpError(400, 'invalid_request_error', 'invalid_body', 'The request body must be a JSON object with "messages": 1 to 500 AI SDK UI messages ({ id, role, parts }), as useChat sends.', {}, 'messages');
  }
  let messages: ChatRequest['messages'];
  try {
    messages = fromUIMessages(parsed.data.messages);
  } catch (error) {
    if (!CascadeError.isInstance(error) || error.code !== 'INVALID_INPUT') throw error;
    throw new HttpError(400, 'invalid_request_error', 'invalid_body', 'messages: each message needs a role (system, user or assistant) and a parts array of { type, text? } parts.', {}, 'messages', error.message);
  }
  if (!messages.some((message) => message.role === 'user')) {
    throw new HttpError(400, 'invalid_request_error', 'invalid_body', 'messages: include at least one user message with a text part.', {}, 'messages');
  }
  return { messages };
}
