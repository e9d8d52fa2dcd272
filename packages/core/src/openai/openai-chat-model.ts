import type OpenAI from 'openai';
import type * as OpenAIModule from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParamsNonStreaming, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import { z } from 'zod';
import { CascadeError } from '../errors/cascade-error';
import { parseConfig } from '../errors/config-error';
import type { CallOptions, ChatModel } from '../model/chat-model';
import type { ChatRequest } from '../model/chat-request';
import type { ChatChoice, ChatResult, FinishReason } from '../model/chat-result';
import type { StreamPart } from '../model/stream-part';
import type { TokenUsage } from '../model/token-usage';
import { countMessageTokens, countTokens } from '../tokens/count-tokens';
import { abortErrorFrom, throwIfAborted } from '../util/abort';
import { toChatCompletionBody } from './chat-completion-body';
import { isRetryableStatus, mapOpenAIError } from './map-openai-error';
import { chatCompletionSchema, logprobsSchema, mapFinishReason, mapLogprobs, mapToolCalls, mapUsage, usageSchema } from './map-openai-response';
import { ToolCallAssembler } from './tool-call-assembler';
import { requireOptionalPeer } from '../util/require-optional-peer';
import { timeoutMsSchema } from '../util/timeout-ms';

/** Config of {@link createOpenAIChatModel}. */
export const openAIChatModelConfigSchema = z
  .object({
    /** Model id as the provider knows it (`gpt-4o-mini`, `llama-3.1-8b-instant`, `qwen2.5:7b`). */
    modelId: z.string().min(1),
    /** Provider name reported on the model (`openai`, `groq`, `ollama`, ...). @default 'openai' */
    provider: z.string().min(1).default('openai'),
    /** OpenAI-compatible base URL ending in `/v1`. @default OPENAI_BASE_URL, else https://api.openai.com/v1 */
    baseURL: z.url({ protocol: /^https?$/ }).optional(),
    /** @default OPENAI_API_KEY; a placeholder when a baseURL is set (local servers need none) */
    apiKey: z.string().min(1).optional(),
    /** Extra HTTP headers on every call (OpenRouter's `HTTP-Referer`, a gateway's auth, ...). */
    headers: z.record(z.string(), z.string()).optional(),
    /** SDK retries per call. The cascade falls through to the next tier instead of retrying. @default 0 */
    maxRetries: z.number().int().min(0).max(10).default(0),
    /** SDK timeout per HTTP attempt, in ms. Prefer an `abortSignal` with a timeout per call. @default the SDK's (10 minutes) */
    timeoutMs: timeoutMsSchema.optional(),
    /**
     * Which body field carries `maxOutputTokens`. OpenAI deprecated `max_tokens` and its reasoning models
     * reject it; most other OpenAI-compatible servers (vLLM, Ollama, LM Studio, older gateways) read only
     * `max_tokens`. @default `max_completion_tokens` for OpenAI itself (no custom baseURL, or api.openai.com), else `max_tokens`
     */
    maxTokensParameter: z.enum(['max_tokens', 'max_completion_tokens']).optional(),
    /** Ask for a usage chunk at the end of streams (`stream_options.include_usage`). Turn off for servers that reject it; usage is then estimated. @default true */
    streamUsage: z.boolean().default(true),
    /**
     * The server honours `n` (several answers in one call): sampled agreement then costs one call per
     * drafter, the prompt billed once. OpenAI and vLLM do; Groq refuses `n` > 1 and Ollama ignores it
     * (a server that returns fewer answers than asked is topped up with parallel calls).
     * @default true for OpenAI itself, else false
     */
    supportsChoiceCount: z.boolean().optional(),
  })
  .strict();

/** What callers pass to {@link createOpenAIChatModel}. */
export type OpenAIChatModelConfig = z.input<typeof openAIChatModelConfigSchema>;

/** Dependencies of {@link createOpenAIChatModel}. */
export interface OpenAIChatModelDependencies {
  /** A ready `OpenAI` client (shared connection pool, custom fetch, Azure...). When set, `baseURL` and `apiKey` of the config are not used. */
  client?: OpenAI;
  /** A custom `fetch` for the client the adapter creates. */
  fetch?: typeof globalThis.fetch;
}

const NO_KEY_PLACEHOLDER = 'not-needed';

const embeddedErrorSchema = z.looseObject({ error: z.looseObject({ message: z.string(), code: z.union([z.number(), z.string()]).nullish() }) });

function environment(name: string): string | undefined {
  const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
  return value === undefined || value === '' ? undefined : value;
}

/** One of the `n` answers of a completion, provider-neutral. */
function mapChoice(choice: z.output<typeof chatCompletionSchema>['choices'][number]): ChatChoice {
  const logprobs = mapLogprobs(choice.logprobs);
  const toolCalls = mapToolCalls(choice.message.tool_calls);
  return {
    text: choice.message.content ?? choice.message.refusal ?? '',
    ...(toolCalls ? { toolCalls } : {}),
    finishReason: mapFinishReason(choice.finish_reason),
    ...(logprobs ? { logprobs } : {}),
  };
}

/**
 * A {@link ChatModel} for any OpenAI-compatible chat completions API (OpenAI, Groq, Together, vLLM,
 * Ollama, OpenRouter, LM Studio) on the official `openai` SDK. Streams ask for usage; logprobs are
 * returned when the request asks; the call's `abortSignal` cancels the HTTP request, and so does a
 * consumer's `break` out of `doStream`. Every failure is a `CascadeError`: `MODEL_CALL_FAILED` with
 * `statusCode`, `retryable` (408/409/429/5xx, connection errors) and `retryAfterMs`; `ABORTED`; `TIMEOUT`.
 *
 * `maxOutputTokens` is sent as `max_completion_tokens` to OpenAI and as `max_tokens` elsewhere
 * (see `maxTokensParameter`). `providerOptions` of a request are spread into the body and may override
 * any field except `model`, `messages`, `stream` and `stream_options`.
 *
 * @param config - validated with zod; a bad field throws `INVALID_CONFIG` naming it.
 * @param dependencies - an existing `OpenAI` client or a custom `fetch`.
 * @example
 * const groq = createOpenAIChatModel({
 *   provider: 'groq', modelId: 'llama-3.1-8b-instant',
 *   baseURL: 'https://api.groq.com/openai/v1', apiKey: process.env.GROQ_API_KEY,
 * });
 * const result = await groq.doGenerate({ messages: [{ role: 'user', content: 'Hi' }], maxOutputTokens: 64 });
 * for await (const part of groq.doStream({ messages: [{ role: 'user', content: 'Hi' }] })) console.log(part);
 */
export function createOpenAIChatModel(config: OpenAIChatModelConfig, dependencies: OpenAIChatModelDependencies = {}): ChatModel {
  const settings = parseConfig(openAIChatModelConfigSchema, config, 'createOpenAIChatModel config');
  const { modelId, provider, maxRetries } = settings;
  const client = dependencies.client ?? createClient(settings, dependencies.fetch);
  const baseURL = dependencies.client ? dependencies.client.baseURL : (settings.baseURL ?? environment('OPENAI_BASE_URL'));
  const isOpenAI = baseURL === undefined || hostnameOf(baseURL) === 'api.openai.com';
  const maxTokensParameter = settings.maxTokensParameter ?? (isOpenAI ? 'max_completion_tokens' : 'max_tokens');
  const supportsChoiceCount = settings.supportsChoiceCount ?? isOpenAI;
  const context = (abortSignal: AbortSignal | undefined, chunksReceived?: number): Parameters<typeof mapOpenAIError>[1] => ({ provider, modelId, abortSignal, ...(chunksReceived !== undefined ? { chunksReceived } : {}) });

  const body = (request: ChatRequest): Record<string, unknown> => toChatCompletionBody(request, modelId, maxTokensParameter);

  function requestOptions(signal: AbortSignal | undefined, options: CallOptions | undefined): OpenAI.RequestOptions {
    const headers = { ...settings.headers, ...options?.headers };
    return {
      maxRetries,
      ...(signal ? { signal } : {}),
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      ...(settings.timeoutMs !== undefined ? { timeout: settings.timeoutMs } : {}),
    };
  }

  function estimatedUsage(request: ChatRequest, text: string): TokenUsage {
    return { inputTokens: countMessageTokens(request.messages), outputTokens: countTokens(text), source: 'estimated' };
  }

  return {
    specificationVersion: 'v1',
    provider,
    modelId,
    supportsChoiceCount,

    async doGenerate(request, options) {
      const signal = options?.abortSignal;
      throwIfAborted(signal, `The call to ${provider} model ${modelId}`);
      let raw: string;
      let status: number;
      try {
        // The raw response lets us name an unparseable body instead of surfacing a bare SyntaxError.
        const response = await client.chat.completions.create({ ...body(request), stream: false } as ChatCompletionCreateParamsNonStreaming, requestOptions(signal, options)).asResponse();
        status = response.status;
        raw = await response.text();
      } catch (error) {
        throw mapOpenAIError(error, context(signal));
      }
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch (error) {
        throw new CascadeError('MODEL_CALL_FAILED', `${provider} model ${modelId}: the provider returned an unparseable body (HTTP ${status}, not JSON): ${JSON.stringify(raw.slice(0, 120))}. Check that the baseURL points at an OpenAI-compatible /v1 endpoint.`, { cause: error, statusCode: status });
      }
      const parsed = chatCompletionSchema.safeParse(json);
      const bodyError = parsed.success ? undefined : embeddedErrorSchema.safeParse(json);
      if (bodyError?.success) {
        // Some gateways (OpenRouter, proxies) answer 200 with `{ error }`; its numeric code is the upstream status.
        const { message, code } = bodyError.data.error;
        const upstream = typeof code === 'number' ? code : undefined;
        throw new CascadeError('MODEL_CALL_FAILED', `${provider} model ${modelId} returned an error in a ${status} body: ${message}`, {
          cause: json,
          statusCode: upstream ?? status,
          retryable: upstream !== undefined && isRetryableStatus(upstream),
        });
      }
      if (!parsed.success) {
        throw new CascadeError('MODEL_CALL_FAILED', `${provider} model ${modelId}: the provider returned a body that is not a chat completion (HTTP ${status}): ${z.prettifyError(parsed.error)}`, { cause: parsed.error, statusCode: status });
      }
      const completion = parsed.data;
      const choice = completion.choices[0]!;
      const text = choice.message.content ?? choice.message.refusal ?? '';
      const logprobs = mapLogprobs(choice.logprobs);
      const toolCalls = mapToolCalls(choice.message.tool_calls);
      const result: ChatResult = {
        text,
        ...(toolCalls ? { toolCalls } : {}),
        finishReason: mapFinishReason(choice.finish_reason),
        usage: mapUsage(completion.usage) ?? estimatedUsage(request, text),
        ...(logprobs ? { logprobs } : {}),
        ...(completion.choices.length > 1 ? { choices: completion.choices.map(mapChoice) } : {}),
        ...(completion.id ? { responseId: completion.id } : {}),
        ...(completion.model ? { responseModelId: completion.model } : {}),
      };
      return result;
    },

    async *doStream(request, options): AsyncGenerator<StreamPart> {
      const callerSignal = options?.abortSignal;
      throwIfAborted(callerSignal, `The call to ${provider} model ${modelId}`);
      // Our own controller: the caller's abort and a consumer's `break` both cancel the HTTP request.
      const controller = new AbortController();
      const onAbort = (): void => controller.abort(callerSignal?.reason);
      callerSignal?.addEventListener('abort', onAbort, { once: true });
      let finished = false;
      let chunksReceived = 0;
      try {
        let stream: AsyncIterable<ChatCompletionChunk>;
        try {
          // A stream carries one answer: `choiceCount` is for `doGenerate` only.
          const { choiceCount: _choiceCount, ...single } = request;
          const streamBody = { ...body(single), stream: true, ...(settings.streamUsage ? { stream_options: { include_usage: true } } : {}) };
          stream = await client.chat.completions.create(streamBody as ChatCompletionCreateParamsStreaming, requestOptions(controller.signal, options));
        } catch (error) {
          throw mapOpenAIError(error, context(callerSignal));
        }

        let text = '';
        let finishReason: FinishReason | undefined;
        let usage: TokenUsage | undefined;
        let sentMetadata = false;
        const toolCalls = new ToolCallAssembler();
        const iterator = stream[Symbol.asyncIterator]();
        while (true) {
          let next: IteratorResult<ChatCompletionChunk>;
          try {
            next = await iterator.next();
          } catch (error) {
            throw mapOpenAIError(error, context(callerSignal, chunksReceived));
          }
          if (next.done) break;
          const chunk = next.value;
          if (!sentMetadata && (chunk.id || chunk.model)) {
            sentMetadata = true;
            yield { type: 'response-metadata', ...(chunk.id ? { responseId: chunk.id } : {}), ...(chunk.model ? { responseModelId: chunk.model } : {}) };
          }
          const parsedUsage = chunk.usage ? usageSchema.safeParse(chunk.usage) : undefined;
          if (parsedUsage?.success) usage = mapUsage(parsedUsage.data) ?? usage;
          const choice = chunk.choices?.[0];
          if (!choice) continue;
          const delta = choice.delta?.content ?? choice.delta?.refusal;
          if (delta) {
            text += delta;
            chunksReceived++;
            yield { type: 'text-delta', text: delta };
          }
          if (choice.delta?.tool_calls) {
            for (const part of toolCalls.add(choice.delta.tool_calls)) yield part;
            chunksReceived++;
          }
          if (choice.logprobs) {
            const parsedLogprobs = logprobsSchema.safeParse(choice.logprobs);
            const logprobs = parsedLogprobs.success ? mapLogprobs(parsedLogprobs.data) : undefined;
            if (logprobs && logprobs.length > 0) yield { type: 'logprobs', logprobs };
          }
          if (choice.finish_reason) finishReason = mapFinishReason(choice.finish_reason);
        }
        // The SDK ends a stream quietly when its request is aborted: report the abort instead.
        if (callerSignal?.aborted) throw abortErrorFrom(callerSignal, `The call to ${provider} model ${modelId}`);
        if (finishReason === undefined) {
          throw new CascadeError('MODEL_CALL_FAILED', `${provider} model ${modelId}: the stream ended after ${chunksReceived} text chunks without a finish reason; the answer may be incomplete. Retry or fall through to another model.`, { retryable: true });
        }
        for (const part of toolCalls.end()) yield part;
        const finalUsage = usage ?? estimatedUsage(request, text + toolCalls.argumentsText());
        yield { type: 'usage', usage: finalUsage };
        finished = true;
        yield { type: 'finish', finishReason, usage: finalUsage };
      } finally {
        callerSignal?.removeEventListener('abort', onAbort);
        if (!finished) controller.abort();
      }
    },
  };
}

function hostnameOf(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

/**
 * The client the adapter makes itself. `openai` (an optional peer) is loaded here with `require`, not at
 * import, so without it the error names the package: in an ESM app this is the SDK's CommonJS entry,
 * so errors in `cause` are not `instanceof` the app's ESM classes (pass your own `client` for that).
 */
function createClient(settings: z.output<typeof openAIChatModelConfigSchema>, fetch: typeof globalThis.fetch | undefined): OpenAI {
  const baseURL = settings.baseURL ?? environment('OPENAI_BASE_URL');
  const apiKey = settings.apiKey ?? environment('OPENAI_API_KEY') ?? (baseURL !== undefined ? NO_KEY_PLACEHOLDER : undefined);
  if (apiKey === undefined) {
    throw new CascadeError('INVALID_CONFIG', 'Invalid createOpenAIChatModel config:\n✖ apiKey: missing. Pass apiKey, set OPENAI_API_KEY, or set a baseURL for a local server that needs no key.');
  }
  const { OpenAI: OpenAIClient } = requireOptionalPeer<typeof OpenAIModule>({ from: import.meta.url, packageName: 'openai', feature: 'createOpenAIChatModel' });
  return new OpenAIClient({
    apiKey,
    maxRetries: settings.maxRetries,
    ...(baseURL !== undefined ? { baseURL } : {}),
    ...(settings.timeoutMs !== undefined ? { timeout: settings.timeoutMs } : {}),
    ...(fetch ? { fetch } : {}),
  });
}
