import { CascadeError } from '../errors/cascade-error';
import type { ChatMessage } from '../model/chat-message';
import type { ChatRequest } from '../model/chat-request';

/** What `run` accepts: a prompt, a list of messages, or a full request. */
export type CascadeInput = string | readonly ChatMessage[] | ChatRequest;

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);

/**
 * Turns any accepted input into a ChatRequest, checking its shape by hand (this runs on every
 * request; a schema parse would dominate the engine's overhead). Bad input → `INVALID_INPUT`.
 */
export function normalizeInput(input: CascadeInput): ChatRequest {
  if (typeof input === 'string') {
    if (input.length === 0) throw new CascadeError('INVALID_INPUT', 'The prompt is empty. Pass a non-empty string or messages.');
    return { messages: [{ role: 'user', content: input }] };
  }
  const request: ChatRequest = Array.isArray(input) ? { messages: input as readonly ChatMessage[] } : (input as ChatRequest);
  if (typeof request !== 'object' || request === null || !Array.isArray(request.messages)) {
    throw new CascadeError('INVALID_INPUT', 'Expected a prompt string, an array of messages, or a request `{ messages: [...] }`.');
  }
  if (request.messages.length === 0) throw new CascadeError('INVALID_INPUT', 'The request has no messages. Add at least one `{ role: "user", content }`.');
  for (let index = 0; index < request.messages.length; index++) {
    const message = request.messages[index] as ChatMessage | undefined;
    if (typeof message !== 'object' || message === null || !ROLES.has(message.role)) {
      throw new CascadeError('INVALID_INPUT', `messages[${index}].role must be one of system, developer, user, assistant, tool.`);
    }
    const content = message.content as unknown;
    const ok = typeof content === 'string' || (Array.isArray(content) && content.every((part) => typeof part === 'object' && part !== null && (part as { type?: unknown }).type === 'text' && typeof (part as { text?: unknown }).text === 'string'));
    if (!ok) throw new CascadeError('INVALID_INPUT', `messages[${index}].content must be a string or an array of { type: "text", text } parts.`);
  }
  if (request.maxOutputTokens !== undefined && !(Number.isInteger(request.maxOutputTokens) && request.maxOutputTokens > 0)) {
    throw new CascadeError('INVALID_INPUT', `maxOutputTokens must be a positive integer (got ${String(request.maxOutputTokens)}).`);
  }
  return request;
}
