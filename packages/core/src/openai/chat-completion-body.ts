import type { ChatCompletionContentPart, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { type ChatMessage, type ContentPart, messageText } from '../model/chat-message';
import type { ChatRequest } from '../model/chat-request';

/** Which body field carries `maxOutputTokens`: OpenAI wants `max_completion_tokens`, most others `max_tokens`. */
export type MaxTokensParameter = 'max_tokens' | 'max_completion_tokens';

function toMessageParam(message: ChatMessage): ChatCompletionMessageParam {
  const name = message.name !== undefined ? { name: message.name } : {};
  switch (message.role) {
    case 'system':
      return { role: 'system', content: messageText(message), ...name };
    case 'developer':
      return { role: 'developer', content: messageText(message), ...name };
    case 'assistant': {
      const text = messageText(message);
      const calls = message.tool_calls && message.tool_calls.length > 0 ? { tool_calls: message.tool_calls.map((call) => ({ id: call.id, type: 'function' as const, function: { name: call.function.name, arguments: call.function.arguments } })) } : {};
      // OpenAI wants `content: null` (not '') beside tool calls.
      return { role: 'assistant', content: text === '' && 'tool_calls' in calls ? null : text, ...calls, ...name };
    }
    case 'tool':
      return { role: 'tool', content: messageText(message), tool_call_id: message.tool_call_id ?? '' };
    case 'user':
      return { role: 'user', content: typeof message.content === 'string' ? message.content : message.content.map(toContentPartParam), ...name };
  }
}

function toContentPartParam(part: ContentPart): ChatCompletionContentPart {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'image_url':
      return { type: 'image_url', image_url: { url: part.image_url.url, ...(part.image_url.detail ? { detail: part.image_url.detail } : {}) } };
    case 'file':
      return { type: 'file', file: { ...part.file } };
  }
}

/**
 * The `/v1/chat/completions` body of a request: what the adapter sends, and what a provider batch
 * line carries. `providerOptions` are spread in and may override any field but `model` and `messages`.
 *
 * @example
 * toChatCompletionBody({ messages: [{ role: 'user', content: 'hi' }], maxOutputTokens: 50 }, 'gpt-4o-mini', 'max_completion_tokens');
 */
export function toChatCompletionBody(request: ChatRequest, modelId: string, maxTokensParameter: MaxTokensParameter): Record<string, unknown> {
  return {
    ...(request.maxOutputTokens !== undefined ? { [maxTokensParameter]: request.maxOutputTokens } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.topP !== undefined ? { top_p: request.topP } : {}),
    ...(request.stop !== undefined && request.stop.length > 0 ? { stop: [...request.stop] } : {}),
    ...(request.seed !== undefined ? { seed: request.seed } : {}),
    ...(request.responseFormat !== undefined ? { response_format: request.responseFormat } : {}),
    ...(request.tools !== undefined && request.tools.length > 0 ? { tools: request.tools.map((tool) => ({ type: 'function', function: { ...tool.function } })) } : {}),
    ...(request.toolChoice !== undefined ? { tool_choice: request.toolChoice } : {}),
    ...(request.parallelToolCalls !== undefined && request.tools !== undefined && request.tools.length > 0 ? { parallel_tool_calls: request.parallelToolCalls } : {}),
    ...(request.logprobs ? { logprobs: true, ...(request.topLogprobs !== undefined ? { top_logprobs: request.topLogprobs } : {}) } : {}),
    ...(request.choiceCount !== undefined && request.choiceCount > 1 ? { n: request.choiceCount } : {}),
    ...(request.user !== undefined ? { user: request.user } : {}),
    ...request.providerOptions,
    model: modelId,
    messages: request.messages.map(toMessageParam),
  };
}
