import type { ChatMessage, ChatRequest } from '@cascade/core';
import { z } from 'zod';
import { HttpError } from './http-error';

/** The model id that means "let the cascade choose". */
export const CASCADE_MODEL_ID = 'cascade';

const textPartSchema = z.object({ type: z.literal('text'), text: z.string() });
const contentSchema = z.union([z.string(), z.array(textPartSchema).min(1)], { error: 'expected a string or a non-empty array of { type: "text", text } parts' });

const messageSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: contentSchema, name: z.string().optional() }),
  z.object({ role: z.literal('developer'), content: contentSchema, name: z.string().optional() }),
  z.object({ role: z.literal('user'), content: contentSchema, name: z.string().optional() }),
  z.object({ role: z.literal('assistant'), content: contentSchema.nullable().optional(), name: z.string().optional() }),
]);

/** The subset of OpenAI's chat completion request the demo serves. Other fields are ignored, as OpenAI-compatible servers do. */
export const chatCompletionRequestSchema = z.looseObject({
  model: z.string().min(1).max(200),
  messages: z.array(messageSchema).min(1).max(500),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  max_tokens: z.number().int().positive().max(1_000_000).nullish(),
  max_completion_tokens: z.number().int().positive().max(1_000_000).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  user: z.string().max(256).nullish(),
});

/** A parsed chat completion request. */
export type ChatCompletionRequest = z.output<typeof chatCompletionRequestSchema>;

/** Validates a body; a bad body is a 400 naming the field. */
export function parseChatCompletionRequest(body: unknown): ChatCompletionRequest {
  const parsed = chatCompletionRequestSchema.safeParse(body);
  if (parsed.success) {
    if (!parsed.data.messages.some((message) => message.role === 'user')) {
      throw new HttpError(400, 'invalid_request_error', 'invalid_body', 'messages: include at least one user message.', {}, 'messages');
    }
    return parsed.data;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'invalid_request_error', 'invalid_body', 'The request body must be a JSON object with "model" and "messages".');
  }
  const issue = parsed.error.issues[0]!;
  const param = issue.path.join('.');
  throw new HttpError(400, 'invalid_request_error', 'invalid_body', `Invalid request body: ${param ? `${param}: ` : ''}${issue.message}.`, {}, param || null);
}

/** Converts an OpenAI request into core's `ChatRequest`. */
export function toChatRequest(body: ChatCompletionRequest): ChatRequest {
  const messages: ChatMessage[] = body.messages.map((message) => ({
    role: message.role,
    content: typeof message.content === 'string' ? message.content : (message.content ?? []).map((part) => part.text).join(''),
  }));
  const maxOutputTokens = body.max_completion_tokens ?? body.max_tokens ?? undefined;
  return {
    messages,
    ...(maxOutputTokens !== undefined ? { maxOutputTokens } : {}),
    ...(body.temperature !== undefined && body.temperature !== null ? { temperature: body.temperature } : {}),
    ...(body.top_p !== undefined && body.top_p !== null ? { topP: body.top_p } : {}),
  };
}
