import { z } from 'zod';
import type { ToolCall } from '../model/chat-message';
import type { FinishReason, TokenLogprob } from '../model/chat-result';
import type { TokenUsage } from '../model/token-usage';

/** Maps OpenAI's `finish_reason` to the provider-neutral {@link FinishReason}. */
export function mapFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'content_filter':
      return 'content-filter';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    case null:
    case undefined:
      return 'unknown';
    default:
      return 'other';
  }
}

const topLogprobSchema = z.looseObject({ token: z.string(), logprob: z.number() });
const tokenLogprobSchema = z.looseObject({ token: z.string(), logprob: z.number(), top_logprobs: z.array(topLogprobSchema).nullish() });

/** `choices[].logprobs` as OpenAI-compatible providers send it. */
export const logprobsSchema = z.looseObject({ content: z.array(tokenLogprobSchema).nullish() }).nullish();

/** `usage` as OpenAI-compatible providers send it; details are optional (many providers omit them). */
export const usageSchema = z
  .looseObject({
    prompt_tokens: z.number(),
    completion_tokens: z.number(),
    prompt_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
  })
  .nullish();

/** The fields of a non-streaming `chat.completion` the adapter reads. Other fields are ignored. */
export const chatCompletionSchema = z.looseObject({
  id: z.string().nullish(),
  model: z.string().nullish(),
  choices: z
    .array(
      z.looseObject({
        message: z.looseObject({ content: z.string().nullish(), refusal: z.string().nullish(), tool_calls: z.array(z.unknown()).nullish() }),
        finish_reason: z.string().nullish(),
        logprobs: logprobsSchema,
      }),
    )
    .min(1),
  usage: usageSchema,
});

/** Provider-neutral usage from OpenAI's `usage` object. */
export function mapUsage(usage: z.output<typeof usageSchema>): TokenUsage | undefined {
  if (!usage) return undefined;
  const cached = usage.prompt_tokens_details?.cached_tokens;
  return {
    inputTokens: usage.prompt_tokens,
    outputTokens: usage.completion_tokens,
    ...(typeof cached === 'number' && cached > 0 ? { cachedInputTokens: cached } : {}),
    source: 'provider',
  };
}

/** Provider-neutral token logprobs from `choices[].logprobs`. */
export function mapLogprobs(logprobs: z.output<typeof logprobsSchema>): TokenLogprob[] | undefined {
  if (!logprobs?.content) return undefined;
  return logprobs.content.map((entry) => ({
    token: entry.token,
    logprob: entry.logprob,
    ...(entry.top_logprobs && entry.top_logprobs.length > 0 ? { topLogprobs: entry.top_logprobs.map((top) => ({ token: top.token, logprob: top.logprob })) } : {}),
  }));
}

const toolCallSchema = z.looseObject({
  id: z.string(),
  type: z.literal('function').optional(),
  function: z.looseObject({ name: z.string(), arguments: z.string().nullish() }),
});

/**
 * Provider-neutral tool calls from `choices[].message.tool_calls`. Entries that are not function calls
 * (custom tools) are left out; missing arguments become `''` so the validator can reject them.
 */
export function mapToolCalls(calls: readonly unknown[] | null | undefined): ToolCall[] | undefined {
  if (!calls || calls.length === 0) return undefined;
  const mapped: ToolCall[] = [];
  for (const call of calls) {
    const parsed = toolCallSchema.safeParse(call);
    if (parsed.success) mapped.push({ id: parsed.data.id, type: 'function', function: { name: parsed.data.function.name, arguments: parsed.data.function.arguments ?? '' } });
  }
  return mapped.length > 0 ? mapped : undefined;
}
