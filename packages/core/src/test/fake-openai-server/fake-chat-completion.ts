import { z } from 'zod';
import { countMessageTokens } from '../../tokens/count-tokens';
import { requireBpe } from '../../tokens/load-bpe';
import type { ChatMessage, ChatRole } from '../../model/chat-message';
import type { FakeFault } from './fake-fault';

const encode = (text: string): number[] => requireBpe('The fake OpenAI server').encode(text);
const decode = (tokens: readonly number[]): string => requireBpe('The fake OpenAI server').decode(tokens);

/** Finish reasons the fake server can report, in OpenAI's wire spelling. */
export type FakeFinishReason = 'stop' | 'length' | 'content_filter' | 'tool_calls';

/**
 * One scripted chat answer of the fake server. A plain string is shorthand for `{ text }`.
 *
 * @example
 * server.queueChatReplies({ text: 'Paris.', usage: { cachedTokens: 4 } }, 'second answer');
 */
export interface FakeChatReply {
  /** Answer text. @default an echo of the last user message: `You said: <text>` (`''` when `toolCalls` are given) */
  text?: string;
  /**
   * Tool calls to answer with (`finish_reason: 'tool_calls'` unless `finishReason` says otherwise).
   * `arguments` is sent as written (it may be invalid JSON, to test validators). Streams send each
   * call's arguments in pieces of about 8 characters.
   */
  toolCalls?: readonly { id?: string; name: string; arguments: string }[];
  /** Stream exactly these deltas (their concatenation is the text). @default one delta per token */
  chunks?: readonly string[];
  /** @default `'length'` when `max_tokens` cut the text, else `'stop'` */
  finishReason?: FakeFinishReason;
  /** Reported usage; counted with the o200k tokenizer when absent. */
  usage?: { promptTokens?: number; completionTokens?: number; cachedTokens?: number };
  /** Log probability reported for every generated token when the request asks for logprobs. @default -0.01 */
  tokenLogprob?: number;
  /**
   * Texts of the 2nd, 3rd, … answers when the request asks for several (`n`); missing ones repeat
   * `text`. Usage counts the completion tokens of every answer, the prompt once (as OpenAI does).
   */
  alternatives?: readonly string[];
  /** Model id reported in the response. @default the requested model */
  model?: string;
  /** A fault applied to the request that receives this reply (merged under an injected fault). In a batch line only `status` applies: the line fails with it. */
  fault?: FakeFault;
}

const messageSchema = z.looseObject({
  role: z.string(),
  content: z.union([z.string(), z.array(z.looseObject({ type: z.string(), text: z.string().optional() })), z.null()]).optional(),
  name: z.string().optional(),
});

/** The part of a chat completion request body the fake server reads; other fields are kept as sent. */
export const fakeChatRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(messageSchema).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
  n: z.number().int().min(1).max(128).nullish(),
});

/** A parsed chat completion request as the fake server's handlers see it. */
export type FakeChatCompletionRequest = z.output<typeof fakeChatRequestSchema>;

/** Computes the answer for one request; may be async. */
export type FakeChatHandler = (
  request: FakeChatCompletionRequest,
  context: { callIndex: number },
) => FakeChatReply | string | Promise<FakeChatReply | string>;

/** A fully resolved answer: text cut to limits, tokens, usage. */
export interface ResolvedCompletion {
  id: string;
  model: string;
  created: number;
  chunks: string[];
  text: string;
  finishReason: FakeFinishReason;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  tokenLogprob: number;
  /** The 2nd, 3rd, … answers of an `n` request, cut to the same limits. */
  alternatives: { text: string; finishReason: FakeFinishReason }[];
  toolCalls: { id: string; type: 'function'; function: { name: string; arguments: string } }[];
}

const ROLES = new Set<ChatRole>(['system', 'developer', 'user', 'assistant', 'tool']);

function toChatMessages(request: FakeChatCompletionRequest): ChatMessage[] {
  return request.messages.map((message) => {
    const content = typeof message.content === 'string' ? message.content : (message.content ?? []).map((part) => part.text ?? '').join('');
    const role = ROLES.has(message.role as ChatRole) ? (message.role as ChatRole) : 'user';
    return { role, content, ...(message.name ? { name: message.name } : {}) };
  });
}

/** Text of the last user message of a request (for echoes and keyword rules). */
export function lastUserContent(request: FakeChatCompletionRequest): string {
  const messages = toChatMessages(request);
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index]!;
    if (message.role === 'user') return typeof message.content === 'string' ? message.content : '';
  }
  return '';
}

/** Applies stop sequences and the token limit to a reply, counts tokens, picks the finish reason. */
export function resolveCompletion(request: FakeChatCompletionRequest, reply: FakeChatReply, id: string): ResolvedCompletion {
  const toolCalls = (reply.toolCalls ?? []).map((call, index) => ({ id: call.id ?? `call_${id.slice(-6)}_${index}`, type: 'function' as const, function: { name: call.name, arguments: call.arguments } }));
  let text = reply.text ?? reply.chunks?.join('') ?? (toolCalls.length > 0 ? '' : `You said: ${lastUserContent(request)}`);
  let finishReason: FakeFinishReason = reply.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop');
  let chunks = reply.chunks ? [...reply.chunks] : undefined;

  const stops = request.stop === undefined || request.stop === null ? [] : Array.isArray(request.stop) ? request.stop : [request.stop];
  for (const stop of stops) {
    const at = stop.length > 0 ? text.indexOf(stop) : -1;
    if (at >= 0) {
      text = text.slice(0, at);
      chunks = undefined;
    }
  }
  let tokens = encode(text);
  const limit = request.max_completion_tokens ?? request.max_tokens;
  if (limit !== undefined && limit !== null && tokens.length > limit) {
    tokens = tokens.slice(0, limit);
    text = decode(tokens);
    chunks = undefined;
    finishReason = reply.finishReason ?? 'length';
  }
  const tokenChunks = chunks ?? tokens.map((token) => decode([token]));
  const alternatives: ResolvedCompletion['alternatives'] = [];
  let alternativeTokens = 0;
  for (let index = 1; index < (request.n ?? 1); index++) {
    const alternative = cutToLimits(request, reply.alternatives?.[index - 1] ?? text);
    alternativeTokens += alternative.tokens;
    alternatives.push({ text: alternative.text, finishReason: reply.finishReason ?? alternative.finishReason });
  }
  return {
    id,
    model: reply.model ?? request.model,
    created: Math.floor(Date.now() / 1000),
    chunks: tokenChunks,
    text,
    finishReason,
    promptTokens: reply.usage?.promptTokens ?? countMessageTokens(toChatMessages(request)),
    completionTokens: reply.usage?.completionTokens ?? tokens.length + alternativeTokens + toolCalls.reduce((sum, call) => sum + encode(call.function.name + call.function.arguments).length, 0),
    cachedTokens: reply.usage?.cachedTokens ?? 0,
    tokenLogprob: reply.tokenLogprob ?? -0.01,
    alternatives,
    toolCalls,
  };
}

/** Stop sequences and the token limit applied to one more answer of an `n` request. */
function cutToLimits(request: FakeChatCompletionRequest, answer: string): { text: string; tokens: number; finishReason: FakeFinishReason } {
  let text = answer;
  for (const stop of request.stop === undefined || request.stop === null ? [] : Array.isArray(request.stop) ? request.stop : [request.stop]) {
    const at = stop.length > 0 ? text.indexOf(stop) : -1;
    if (at >= 0) text = text.slice(0, at);
  }
  const tokens = encode(text);
  const limit = request.max_completion_tokens ?? request.max_tokens;
  if (limit !== undefined && limit !== null && tokens.length > limit) return { text: decode(tokens.slice(0, limit)), tokens: limit, finishReason: 'length' };
  return { text, tokens: tokens.length, finishReason: 'stop' };
}

function usageBody(completion: ResolvedCompletion): Record<string, unknown> {
  return {
    prompt_tokens: completion.promptTokens,
    completion_tokens: completion.completionTokens,
    total_tokens: completion.promptTokens + completion.completionTokens,
    prompt_tokens_details: { cached_tokens: completion.cachedTokens, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

function logprobsOf(text: string, completion: ResolvedCompletion, topLogprobs: number): Record<string, unknown>[] {
  return encode(text).map((token) => {
    const piece = decode([token]);
    const alternatives = Array.from({ length: Math.max(0, topLogprobs - 1) }, (_, index) => ({
      token: `alt${index + 1}`,
      logprob: completion.tokenLogprob - 2 * (index + 1),
      bytes: [...Buffer.from(`alt${index + 1}`)],
    }));
    return {
      token: piece,
      logprob: completion.tokenLogprob,
      bytes: [...Buffer.from(piece)],
      top_logprobs: topLogprobs > 0 ? [{ token: piece, logprob: completion.tokenLogprob, bytes: [...Buffer.from(piece)] }, ...alternatives] : [],
    };
  });
}

/** The non-streaming `chat.completion` body. */
export function completionBody(request: FakeChatCompletionRequest, completion: ResolvedCompletion): Record<string, unknown> {
  return {
    id: completion.id,
    object: 'chat.completion',
    created: completion.created,
    model: completion.model,
    system_fingerprint: 'fp_fake',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: completion.toolCalls.length > 0 && completion.text === '' ? null : completion.text,
          refusal: null,
          annotations: [],
          ...(completion.toolCalls.length > 0 ? { tool_calls: completion.toolCalls } : {}),
        },
        logprobs: request.logprobs ? { content: logprobsOf(completion.text, completion, request.top_logprobs ?? 0), refusal: null } : null,
        finish_reason: completion.finishReason,
      },
      ...completion.alternatives.map((alternative, index) => ({
        index: index + 1,
        message: { role: 'assistant', content: alternative.text, refusal: null, annotations: [] },
        logprobs: request.logprobs ? { content: logprobsOf(alternative.text, completion, request.top_logprobs ?? 0), refusal: null } : null,
        finish_reason: alternative.finishReason,
      })),
    ],
    usage: usageBody(completion),
    service_tier: 'default',
  };
}

/** The `chat.completion.chunk` bodies of a stream, in order (without the final `[DONE]`). */
export function completionChunks(request: FakeChatCompletionRequest, completion: ResolvedCompletion): Record<string, unknown>[] {
  const includeUsage = request.stream_options?.include_usage === true;
  const base = { id: completion.id, object: 'chat.completion.chunk', created: completion.created, model: completion.model, system_fingerprint: 'fp_fake', service_tier: 'default' };
  const withUsage = includeUsage ? { usage: null } : {};
  const choice = (delta: Record<string, unknown>, finishReason: FakeFinishReason | null, logprobs: Record<string, unknown> | null): Record<string, unknown> => ({
    ...base,
    choices: [{ index: 0, delta, logprobs, finish_reason: finishReason }],
    ...withUsage,
  });
  const top = request.top_logprobs ?? 0;
  const chunks: Record<string, unknown>[] = [choice({ role: 'assistant', content: '', refusal: null }, null, null)];
  for (const piece of completion.chunks) {
    chunks.push(choice({ content: piece }, null, request.logprobs ? { content: logprobsOf(piece, completion, top), refusal: null } : null));
  }
  completion.toolCalls.forEach((call, index) => {
    chunks.push(choice({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] }, null, null));
    for (let at = 0; at < call.function.arguments.length; at += 8) {
      chunks.push(choice({ tool_calls: [{ index, function: { arguments: call.function.arguments.slice(at, at + 8) } }] }, null, null));
    }
  });
  chunks.push(choice({}, completion.finishReason, null));
  if (includeUsage) chunks.push({ ...base, choices: [], usage: usageBody(completion) });
  return chunks;
}
