import { CascadeError } from '../errors/cascade-error';
import type { ToolCall } from '../model/chat-message';
import type { CallOptions, ChatModel } from '../model/chat-model';
import type { ChatRequest } from '../model/chat-request';
import type { ChatResult, FinishReason, TokenLogprob } from '../model/chat-result';
import type { StreamPart } from '../model/stream-part';
import type { TokenUsage } from '../model/token-usage';
import { countMessageTokens, countTokens } from '../tokens/count-tokens';
import { truncateToTokens } from '../tokens/truncate-to-tokens';
import { abortErrorFrom, sleep } from '../util/abort';

/** One scripted answer of a {@link MockChatModel}. */
export interface MockResponse {
  text?: string;
  /** Tool calls to answer with (`finishReason` defaults to `tool-calls`); `id` defaults to `call_<n>`. Streamed as start, argument deltas, end. */
  toolCalls?: readonly { id?: string; name: string; arguments: string }[];
  finishReason?: FinishReason;
  /** Reported usage; counted with the tokenizer when absent. */
  usage?: Partial<Omit<TokenUsage, 'source'>>;
  logprobs?: readonly TokenLogprob[];
  /** Throw this instead of answering (after `latencyMs`). */
  error?: unknown;
  /** Delay before the answer (or before the first chunk when streaming). */
  latencyMs?: number;
  /** Stream these chunks instead of splitting `text`. */
  chunks?: readonly string[];
  /** Delay between stream chunks. */
  chunkDelayMs?: number;
  /** Throw this error mid-stream after this many chunks. */
  streamErrorAfterChunks?: { chunks: number; error: unknown };
}

/** One recorded call. */
export interface MockCall {
  kind: 'generate' | 'stream';
  request: ChatRequest;
  options: CallOptions | undefined;
  /** True when the call's signal fired before it finished. */
  aborted: boolean;
  /** True when the call finished (answered, threw, or was cancelled). */
  settled: boolean;
}

export interface MockChatModelOptions {
  modelId?: string;
  provider?: string;
  /**
   * Answers in call order (the last repeats), or a function of the request and the answer's index (calls
   * and sampled choices counted). @default [{ text: 'Hello!' }]
   */
  responses?: readonly MockResponse[] | ((request: ChatRequest, callIndex: number) => MockResponse);
  /** Default latency for every answer. @default 0 */
  latencyMs?: number;
  /** Characters per chunk when streaming a `text`. @default 8 */
  chunkSize?: number;
  /**
   * Act like a provider that honours `maxOutputTokens`: a longer answer is cut to that many tokens, with
   * finish reason `length` and usage to match. Off by default: the mock then plays a provider that ignores it.
   */
  honorMaxOutputTokens?: boolean;
  /**
   * Act like a provider that samples several answers in one call (OpenAI `n`): sets the model's
   * `supportsChoiceCount`, and a `doGenerate` with `choiceCount: k` takes the next k scripted answers
   * as its `choices` (the first is also the result's text), with their usage summed. Streaming ignores it.
   */
  supportsChoiceCount?: boolean;
}

/**
 * A scripted `ChatModel` for tests: records every call, honours aborts, streams in chunks,
 * tracks how many calls are in flight. Needs no network and imports no test framework.
 *
 * @example
 * const model = new MockChatModel({ modelId: 'cheap', responses: [{ text: 'I am not sure.' }] });
 * await model.doGenerate({ messages: [{ role: 'user', content: 'hi' }] });
 * model.calls.length; // 1
 */
export class MockChatModel implements ChatModel {
  readonly specificationVersion = 'v1' as const;
  readonly provider: string;
  readonly modelId: string;
  readonly calls: MockCall[] = [];
  /** Calls currently running. */
  inFlight = 0;
  /** Highest number of calls that were running at once. */
  maxInFlight = 0;
  private readonly responses: MockChatModelOptions['responses'];
  private readonly latencyMs: number;
  private readonly chunkSize: number;
  private readonly honorMaxOutputTokens: boolean;
  private readonly answersChoices: boolean;
  /** Scripted answers handed out so far (one per call, k per sampled call). */
  private picked = 0;
  /** Set only when the option is given, so wrappers that copy the capability see it as absent otherwise. */
  declare readonly supportsChoiceCount?: boolean;

  constructor(options: MockChatModelOptions = {}) {
    this.modelId = options.modelId ?? 'mock-model';
    this.provider = options.provider ?? 'mock';
    this.responses = options.responses ?? [{ text: 'Hello!' }];
    this.latencyMs = options.latencyMs ?? 0;
    this.chunkSize = Math.max(1, options.chunkSize ?? 8);
    this.honorMaxOutputTokens = options.honorMaxOutputTokens ?? false;
    this.answersChoices = options.supportsChoiceCount === true;
    if (options.supportsChoiceCount !== undefined) Object.defineProperty(this, 'supportsChoiceCount', { value: options.supportsChoiceCount, enumerable: true });
  }

  /** Requests of every call, in order. */
  get requests(): ChatRequest[] {
    return this.calls.map((call) => call.request);
  }

  async doGenerate(request: ChatRequest, options?: CallOptions): Promise<ChatResult> {
    const call = this.begin('generate', request, options);
    try {
      const response = this.pick(request);
      const extra = this.answersChoices && (request.choiceCount ?? 1) > 1 ? Array.from({ length: request.choiceCount! - 1 }, () => this.pick(request)) : [];
      await this.wait(response.latencyMs ?? this.latencyMs, options?.abortSignal, call);
      if (response.error !== undefined) throw response.error;
      const first = this.answerOf(request, response);
      if (extra.length === 0) return { ...first, responseModelId: this.modelId };
      const choices = [first, ...extra.map((choice) => this.answerOf(request, choice))];
      const { usage: _usage, ...firstChoice } = first;
      return {
        ...first,
        // One prompt, k completions: the provider bills the input once and every output.
        usage: { ...first.usage, outputTokens: choices.reduce((sum, choice) => sum + choice.usage.outputTokens, 0) },
        choices: [firstChoice, ...choices.slice(1).map(({ usage: _unused, ...choice }) => choice)],
        responseModelId: this.modelId,
      };
    } finally {
      this.end(call);
    }
  }

  async *doStream(request: ChatRequest, options?: CallOptions): AsyncIterable<StreamPart> {
    const call = this.begin('stream', request, options);
    try {
      const response = this.pick(request);
      const signal = options?.abortSignal;
      await this.wait(response.latencyMs ?? this.latencyMs, signal, call);
      if (response.error !== undefined) throw response.error;
      const text = response.text ?? response.chunks?.join('') ?? '';
      const chunks = response.chunks ?? splitText(text, this.chunkSize);
      yield { type: 'response-metadata', responseModelId: this.modelId };
      let sent = 0;
      for (const chunk of chunks) {
        if (response.streamErrorAfterChunks && sent === response.streamErrorAfterChunks.chunks) throw response.streamErrorAfterChunks.error;
        if (response.chunkDelayMs) await this.wait(response.chunkDelayMs, signal, call);
        else if (signal?.aborted) this.abort(signal, call);
        yield { type: 'text-delta', text: chunk };
        sent++;
      }
      if (response.streamErrorAfterChunks && sent === response.streamErrorAfterChunks.chunks) throw response.streamErrorAfterChunks.error;
      const toolCalls = toolCallsOf(response);
      for (const [index, toolCall] of (toolCalls ?? []).entries()) {
        yield { type: 'tool-call-start', index, id: toolCall.id, name: toolCall.function.name };
        for (const piece of splitText(toolCall.function.arguments, this.chunkSize)) {
          if (response.chunkDelayMs) await this.wait(response.chunkDelayMs, signal, call);
          yield { type: 'tool-call-delta', index, argumentsDelta: piece };
        }
        yield { type: 'tool-call-end', index, toolCall };
      }
      if (response.logprobs) yield { type: 'logprobs', logprobs: response.logprobs };
      const usage = this.usageOf(request, text, response);
      yield { type: 'usage', usage };
      yield { type: 'finish', finishReason: response.finishReason ?? (toolCalls ? 'tool-calls' : 'stop'), usage };
    } finally {
      if (options?.abortSignal?.aborted) call.aborted = true;
      this.end(call);
    }
  }

  /** One scripted answer as a result (no response model id). */
  private answerOf(request: ChatRequest, response: MockResponse): ChatResult {
    const text = response.text ?? response.chunks?.join('') ?? '';
    const toolCalls = toolCallsOf(response);
    return {
      text,
      ...(toolCalls ? { toolCalls } : {}),
      finishReason: response.finishReason ?? (toolCalls ? 'tool-calls' : 'stop'),
      usage: this.usageOf(request, text, response),
      ...(response.logprobs ? { logprobs: response.logprobs } : {}),
    };
  }

  private begin(kind: MockCall['kind'], request: ChatRequest, options: CallOptions | undefined): MockCall {
    const call: MockCall = { kind, request, options, aborted: false, settled: false };
    this.calls.push(call);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return call;
  }

  private end(call: MockCall): void {
    call.settled = true;
    this.inFlight--;
  }

  private pick(request: ChatRequest): MockResponse {
    const index = this.picked++;
    const responses = this.responses ?? [];
    const response = typeof responses === 'function' ? responses(request, index) : (responses[Math.min(index, responses.length - 1)] ?? {});
    return this.honorMaxOutputTokens ? limitResponse(response, request.maxOutputTokens) : response;
  }

  private async wait(ms: number, signal: AbortSignal | undefined, call: MockCall): Promise<void> {
    if (signal?.aborted) this.abort(signal, call);
    if (ms <= 0) return;
    try {
      await sleep(ms, signal);
    } catch (error) {
      call.aborted = true;
      throw error;
    }
  }

  private abort(signal: AbortSignal, call: MockCall): never {
    call.aborted = true;
    throw abortErrorFrom(signal, `Call to ${this.modelId}`);
  }

  private usageOf(request: ChatRequest, text: string, response: MockResponse): TokenUsage {
    return {
      inputTokens: response.usage?.inputTokens ?? countMessageTokens(request.messages),
      outputTokens: response.usage?.outputTokens ?? countTokens(text + (response.toolCalls ?? []).map((call) => call.name + call.arguments).join('')),
      ...(response.usage?.cachedInputTokens !== undefined ? { cachedInputTokens: response.usage.cachedInputTokens } : {}),
      source: 'provider',
    };
  }
}

/** A provider error as adapters produce it, for scripting failures. */
export function mockProviderError(statusCode: number, message = `HTTP ${statusCode}`): CascadeError {
  const retryable = statusCode === 408 || statusCode === 409 || statusCode === 429 || statusCode >= 500;
  return new CascadeError('MODEL_CALL_FAILED', message, { statusCode, retryable });
}

/** The response a provider honouring `maxOutputTokens` would send: text cut to that many tokens, finish `length`. */
function limitResponse(response: MockResponse, maxOutputTokens: number | undefined): MockResponse {
  if (maxOutputTokens === undefined || response.error !== undefined) return response;
  const text = response.text ?? response.chunks?.join('') ?? '';
  const reported = response.usage?.outputTokens;
  const cut = truncateToTokens(text, maxOutputTokens);
  if (!cut.truncated && (reported === undefined || reported <= maxOutputTokens)) return response;
  const { chunks: _chunks, ...rest } = response;
  return { ...rest, text: cut.text, finishReason: 'length', usage: { ...response.usage, outputTokens: Math.min(maxOutputTokens, reported ?? cut.tokens) } };
}

function toolCallsOf(response: MockResponse): ToolCall[] | undefined {
  if (!response.toolCalls || response.toolCalls.length === 0) return undefined;
  return response.toolCalls.map((call, index) => ({ id: call.id ?? `call_${index}`, type: 'function', function: { name: call.name, arguments: call.arguments } }));
}

function splitText(text: string, size: number): string[] {
  const chunks: string[] = [];
  for (let index = 0; index < text.length; index += size) chunks.push(text.slice(index, index + size));
  return chunks;
}
