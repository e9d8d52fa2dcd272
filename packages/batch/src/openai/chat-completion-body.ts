import { type ChatMessage, type ChatRequest, messageText } from '@cascade/core';

/** Which body field carries `maxOutputTokens`. */
export type MaxTokensParameter = 'max_tokens' | 'max_completion_tokens';

function toMessage(message: ChatMessage): Record<string, unknown> {
  const name = message.name !== undefined ? { name: message.name } : {};
  if (message.role === 'tool') return { role: 'tool', content: messageText(message), tool_call_id: message.tool_call_id ?? '' };
  if (message.role === 'user' && typeof message.content !== 'string') {
    return { role: 'user', content: message.content.map((part) => ({ type: 'text', text: part.text })), ...name };
  }
  return { role: message.role, content: messageText(message), ...name };
}

/**
 * The `/v1/chat/completions` body of a request, as a batch line carries it. Mirrors the body the
 * core OpenAI adapter sends (core does not export its builder yet).
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
    ...(request.logprobs ? { logprobs: true, ...(request.topLogprobs !== undefined ? { top_logprobs: request.topLogprobs } : {}) } : {}),
    ...(request.user !== undefined ? { user: request.user } : {}),
    ...request.providerOptions,
    model: modelId,
    messages: request.messages.map(toMessage),
  };
}
