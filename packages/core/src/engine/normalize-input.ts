import { CascadeError } from '../errors/cascade-error';
import type { ChatMessage } from '../model/chat-message';
import type { ChatRequest } from '../model/chat-request';
import { checkRequestParams } from './request-params';

/**
 * The Vercel AI SDK's input shape: `{ system?, prompt }` (or `{ system?, messages }`) with the request's
 * other parameters. `system` becomes a first system message, `prompt` a user message.
 *
 * @example
 * await agent.run({ system: 'Answer in one sentence.', prompt: 'What is a cascade?', maxOutputTokens: 64 });
 */
export type PromptInput = (Omit<ChatRequest, 'messages'> & { system?: string; prompt: string }) | (ChatRequest & { system?: string });

/** What `run` accepts: a prompt, a list of messages, a full request, or AI SDK style `{ system, prompt }`. */
export type CascadeInput = string | readonly ChatMessage[] | ChatRequest | PromptInput;

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);

/**
 * Turns any accepted input into a ChatRequest, checking the messages by hand (this runs on every
 * request; a schema parse of every message would dominate the engine's overhead) and the other
 * parameters (temperature, topP, ...) with `chatRequestParamsSchema`. Bad input → `INVALID_INPUT` naming the field.
 */
export function normalizeInput(input: CascadeInput): ChatRequest {
  if (typeof input === 'string') {
    if (input.length === 0) throw new CascadeError('INVALID_INPUT', 'The prompt is empty. Pass a non-empty string or messages.');
    return { messages: [{ role: 'user', content: input }] };
  }
  const request: ChatRequest = Array.isArray(input) ? { messages: input as readonly ChatMessage[] } : fromPromptInput(input as ChatRequest | PromptInput);
  if (typeof request !== 'object' || request === null || !Array.isArray(request.messages)) {
    throw new CascadeError('INVALID_INPUT', 'Expected a prompt string, an array of messages, a request `{ messages: [...] }`, or `{ system?, prompt }`.');
  }
  if (request.messages.length === 0) throw new CascadeError('INVALID_INPUT', 'The request has no messages. Add at least one `{ role: "user", content }`.');
  for (let index = 0; index < request.messages.length; index++) {
    const message = request.messages[index] as ChatMessage | undefined;
    if (typeof message !== 'object' || message === null || !ROLES.has(message.role)) {
      throw new CascadeError('INVALID_INPUT', `messages[${index}].role must be one of system, developer, user, assistant, tool.`);
    }
    const content = message.content as unknown;
    const ok = typeof content === 'string' || (Array.isArray(content) && content.every(isContentPart));
    if (!ok) throw new CascadeError('INVALID_INPUT', `messages[${index}].content must be a string or an array of parts: { type: "text", text }, { type: "image_url", image_url: { url } } or { type: "file", file: { file_id | file_data } }.`);
    if (message.tool_calls !== undefined) checkToolCalls(message, index);
    if (message.name !== undefined && typeof message.name !== 'string') throw new CascadeError('INVALID_INPUT', `messages[${index}].name must be a string when set.`);
  }
  checkRequestParams(request);
  return request;
}

/** `{ system?, prompt }` / `{ system?, messages }` (AI SDK style) as a plain request; anything else as it is. */
function fromPromptInput(input: ChatRequest | PromptInput): ChatRequest {
  if (typeof input !== 'object' || input === null || (!('prompt' in input) && !('system' in input))) return input as ChatRequest;
  const { prompt, system, messages, ...parameters } = input as { prompt?: unknown; system?: unknown; messages?: unknown } & Record<string, unknown>;
  if (prompt !== undefined && messages !== undefined) {
    throw new CascadeError('INVALID_INPUT', 'Pass either `prompt` or `messages`, not both (`system` goes with either).');
  }
  if (prompt !== undefined && (typeof prompt !== 'string' || prompt.length === 0)) throw new CascadeError('INVALID_INPUT', '`prompt` must be a non-empty string.');
  if (system !== undefined && (typeof system !== 'string' || system.length === 0)) throw new CascadeError('INVALID_INPUT', '`system` must be a non-empty string when set.');
  if (prompt === undefined && !Array.isArray(messages)) throw new CascadeError('INVALID_INPUT', 'Expected `{ system?, prompt }` or `{ system?, messages: [...] }`.');
  const rest: ChatMessage[] = prompt !== undefined ? [{ role: 'user', content: prompt as string }] : [...(messages as ChatMessage[])];
  return { ...parameters, messages: system !== undefined ? [{ role: 'system', content: system as string }, ...rest] : rest } as ChatRequest;
}

function isContentPart(part: unknown): boolean {
  if (typeof part !== 'object' || part === null) return false;
  const typed = part as { type?: unknown; text?: unknown; image_url?: { url?: unknown }; file?: { file_id?: unknown; file_data?: unknown } };
  switch (typed.type) {
    case 'text':
      return typeof typed.text === 'string';
    case 'image_url':
      return typeof typed.image_url?.url === 'string' && typed.image_url.url.length > 0;
    case 'file':
      return typeof typed.file?.file_id === 'string' || typeof typed.file?.file_data === 'string';
    default:
      return false;
  }
}

function checkToolCalls(message: ChatMessage, index: number): void {
  const calls = message.tool_calls as unknown;
  if (message.role !== 'assistant') throw new CascadeError('INVALID_INPUT', `messages[${index}].tool_calls is only allowed on assistant messages.`);
  const valid = Array.isArray(calls) && calls.every((call) => {
    const typed = call as { id?: unknown; type?: unknown; function?: { name?: unknown; arguments?: unknown } } | null;
    return typeof typed === 'object' && typed !== null && typeof typed.id === 'string' && typed.type === 'function' && typeof typed.function?.name === 'string' && typeof typed.function.arguments === 'string';
  });
  if (!valid) throw new CascadeError('INVALID_INPUT', `messages[${index}].tool_calls must be an array of { id, type: "function", function: { name, arguments: "<JSON text>" } }.`);
}
