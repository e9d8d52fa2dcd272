import type { ChatMessage, ChatRequest, ContentPart, ToolDefinition } from '@cascade/core';
import { z } from 'zod';
import { HttpError } from './http-error';

/** The model id that means "let the cascade choose". */
export const CASCADE_MODEL_ID = 'cascade';

const textPartSchema = z.object({ type: z.literal('text'), text: z.string() });
const textContentSchema = z.union([z.string(), z.array(textPartSchema).min(1)], { error: 'expected a string or a non-empty array of { type: "text", text } parts' });
// User messages may carry images (an https URL or a base64 data URL) and files; they pass through to the model.
const userPartSchema = z.discriminatedUnion('type', [
  textPartSchema,
  z.object({ type: z.literal('image_url'), image_url: z.object({ url: z.string().min(1).max(20_000_000), detail: z.enum(['auto', 'low', 'high']).optional() }) }),
  z.object({ type: z.literal('file'), file: z.object({ file_id: z.string().optional(), file_data: z.string().optional(), filename: z.string().optional() }) }),
]);
const userContentSchema = z.union([z.string(), z.array(userPartSchema).min(1)], { error: 'expected a string or a non-empty array of text, image_url or file parts' });
const toolCallSchema = z.object({ id: z.string().min(1), type: z.literal('function'), function: z.object({ name: z.string().min(1), arguments: z.string() }) });

const messageSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: textContentSchema, name: z.string().optional() }),
  z.object({ role: z.literal('developer'), content: textContentSchema, name: z.string().optional() }),
  z.object({ role: z.literal('user'), content: userContentSchema, name: z.string().optional() }),
  z.object({ role: z.literal('assistant'), content: textContentSchema.nullable().optional(), name: z.string().optional(), tool_calls: z.array(toolCallSchema).max(128).optional() }),
  z.object({ role: z.literal('tool'), content: textContentSchema, tool_call_id: z.string().min(1) }),
]);

const toolSchema = z.object({
  type: z.literal('function'),
  function: z.object({ name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/), description: z.string().optional(), parameters: z.record(z.string(), z.unknown()).optional(), strict: z.boolean().nullish() }),
});
const toolChoiceSchema = z.union([z.enum(['auto', 'none', 'required']), z.object({ type: z.literal('function'), function: z.object({ name: z.string().min(1) }) })]);
const responseFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({ type: z.literal('json_schema'), json_schema: z.object({ name: z.string().min(1), description: z.string().optional(), schema: z.record(z.string(), z.unknown()).optional(), strict: z.boolean().nullish() }) }),
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
  tools: z.array(toolSchema).max(128).nullish(),
  tool_choice: toolChoiceSchema.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  response_format: responseFormatSchema.nullish(),
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
  const messages: ChatMessage[] = body.messages.map(toChatMessage);
  const maxOutputTokens = body.max_completion_tokens ?? body.max_tokens ?? undefined;
  const format = body.response_format;
  return {
    messages,
    ...(body.tools && body.tools.length > 0 ? { tools: body.tools.map(toToolDefinition) } : {}),
    ...(body.tool_choice ? { toolChoice: body.tool_choice } : {}),
    ...(body.parallel_tool_calls !== undefined && body.parallel_tool_calls !== null ? { parallelToolCalls: body.parallel_tool_calls } : {}),
    ...(format
      ? {
          responseFormat: format.type === 'json_schema'
            ? { type: 'json_schema' as const, json_schema: { name: format.json_schema.name, ...(format.json_schema.schema ? { schema: format.json_schema.schema } : {}), ...(typeof format.json_schema.strict === 'boolean' ? { strict: format.json_schema.strict } : {}) } }
            : { type: format.type },
        }
      : {}),
    ...(maxOutputTokens !== undefined ? { maxOutputTokens } : {}),
    ...(body.temperature !== undefined && body.temperature !== null ? { temperature: body.temperature } : {}),
    ...(body.top_p !== undefined && body.top_p !== null ? { topP: body.top_p } : {}),
  };
}

function joinText(content: string | readonly { text: string }[] | null | undefined): string {
  return typeof content === 'string' ? content : (content ?? []).map((part) => part.text).join('');
}

function toChatMessage(message: ChatCompletionRequest['messages'][number]): ChatMessage {
  switch (message.role) {
    case 'user': {
      const content = typeof message.content === 'string' ? message.content : message.content.map((part): ContentPart =>
        part.type === 'text' ? { type: 'text', text: part.text }
          : part.type === 'image_url' ? { type: 'image_url', image_url: { url: part.image_url.url, ...(part.image_url.detail ? { detail: part.image_url.detail } : {}) } }
            : { type: 'file', file: { ...part.file } });
      return { role: 'user', content, ...(message.name ? { name: message.name } : {}) };
    }
    case 'assistant':
      return { role: 'assistant', content: joinText(message.content), ...(message.tool_calls && message.tool_calls.length > 0 ? { tool_calls: message.tool_calls } : {}) };
    case 'tool':
      return { role: 'tool', content: joinText(message.content), tool_call_id: message.tool_call_id };
    default:
      return { role: message.role, content: joinText(message.content) };
  }
}

function toToolDefinition(tool: NonNullable<ChatCompletionRequest['tools']>[number]): ToolDefinition {
  const { name, description, parameters, strict } = tool.function;
  return { type: 'function', function: { name, ...(description !== undefined ? { description } : {}), ...(parameters ? { parameters } : {}), ...(typeof strict === 'boolean' ? { strict } : {}) } };
}
