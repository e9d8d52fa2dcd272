import { CascadeError } from '../errors/cascade-error';
import { lastUserText } from '../model/chat-message';
import type { CallOptions, ChatModel } from '../model/chat-model';
import type { ChatRequest } from '../model/chat-request';
import type { ChatResult, FinishReason } from '../model/chat-result';
import type { StreamPart } from '../model/stream-part';
import type { TokenUsage } from '../model/token-usage';
import type { ModelPrice } from '../pricing/model-price';
import { countMessageTokens, countTokens } from '../tokens/count-tokens';
import { truncateToTokens } from '../tokens/truncate-to-tokens';
import { sleep, throwIfAborted } from '../util/abort';
import type { Trace, TraceModels } from './trace-schema';

/** How fast a replayed model answers. `false`: instantly (benchmarks). */
export interface ReplayPacing {
  /** Delay before the first token, ms. @default 350 */
  firstTokenMs?: number;
  /** Output speed, tokens per second. @default 60 */
  tokensPerSecond?: number;
  /** Divides every delay (a demo may replay 10x faster). @default 1 */
  speedup?: number;
  /** Use a response's recorded `latencyMs` for the total time when present. @default true */
  useRecordedLatency?: boolean;
}

export interface ReplayModelOptions {
  /** Provider name reported by the model. @default 'replay' */
  provider?: string;
  /** Timing of answers; per-model overrides in `pacingByModel`. @default {} (realistic defaults) */
  pacing?: ReplayPacing | false;
  pacingByModel?: Readonly<Record<string, ReplayPacing | false>>;
  /** Name of the trace source, for the miss message. */
  source?: string;
}

interface Recorded {
  text: string;
  finishReason: FinishReason;
  inputTokens: number | undefined;
  outputTokens: number;
  latencyMs: number | undefined;
}

const FINISH_REASONS = new Set<FinishReason>(['stop', 'length', 'content-filter', 'tool-calls', 'error', 'other', 'unknown']);

/** The key a prompt is matched by: whitespace folded, trimmed. */
export function promptKey(prompt: string): string {
  return prompt.replace(/\s+/g, ' ').trim();
}

/**
 * Serves one model's recorded answers as a `ChatModel`. A request is matched by its last user
 * message; an unknown prompt is a `REPLAY_MISS` error, never an invented answer. Usage comes from
 * the trace when recorded, else from the real tokenizer; timing follows `pacing`. Like a provider, it
 * honours `maxOutputTokens`: a longer recorded answer is cut to that many tokens, with finish reason
 * `length` and usage to match (streamed or not).
 *
 * @example
 * const traces = await readTraceFile('gsm8k.traces.jsonl');
 * const cheap = createReplayModel(traces, 'mixtral-8x7b-instruct-v0.1', { pacing: { speedup: 10 } });
 */
export function createReplayModel(traces: readonly Trace[], modelId: string, options: ReplayModelOptions = {}): ChatModel {
  const answers = new Map<string, Recorded>();
  for (const trace of traces) {
    const response = trace.responses[modelId];
    if (!response) continue;
    answers.set(promptKey(trace.prompt), {
      text: response.text,
      finishReason: FINISH_REASONS.has(response.finishReason as FinishReason) ? (response.finishReason as FinishReason) : 'stop',
      inputTokens: response.inputTokens,
      outputTokens: response.outputTokens ?? countTokens(response.text),
      latencyMs: response.latencyMs,
    });
  }
  if (answers.size === 0) {
    throw new CascadeError('INVALID_CONFIG', `The traces${options.source ? ` of ${options.source}` : ''} hold no answer of model "${modelId}". Use one of the model ids in their "responses".`);
  }
  const pacingOption = options.pacingByModel?.[modelId] ?? options.pacing ?? {};
  const pacing = pacingOption === false ? undefined : pacingOption;
  const speedup = Math.max(pacing?.speedup ?? 1, 1e-9);
  const provider = options.provider ?? 'replay';

  const lookup = (request: ChatRequest): Recorded => {
    const prompt = lastUserText(request.messages);
    const recorded = answers.get(promptKey(prompt));
    if (recorded) return recorded;
    const preview = prompt.length > 80 ? `${prompt.slice(0, 77)}...` : prompt;
    throw new CascadeError(
      'REPLAY_MISS',
      `No recorded answer of ${modelId} for the prompt "${preview}"${options.source ? ` in ${options.source}` : ''}. Replay answers only recorded prompts; record live traffic with createTraceRecorder first.`,
      { details: { modelId } },
    );
  };
  // A provider stops at max_tokens: so does the replay (text cut to that many tokens, finish 'length').
  const limited = (request: ChatRequest, recorded: Recorded): Recorded => {
    const max = request.maxOutputTokens;
    if (max === undefined || recorded.outputTokens <= max) return recorded;
    return { ...recorded, text: truncateToTokens(recorded.text, max).text, finishReason: 'length', outputTokens: max, latencyMs: undefined };
  };
  const usageOf = (request: ChatRequest, recorded: Recorded): TokenUsage => ({
    inputTokens: recorded.inputTokens ?? countMessageTokens(request.messages),
    outputTokens: recorded.outputTokens,
    source: 'provider',
  });
  const firstTokenMs = (recorded: Recorded): number => {
    if (!pacing) return 0;
    if (recorded.latencyMs !== undefined && pacing.useRecordedLatency !== false) return Math.min(recorded.latencyMs, pacing.firstTokenMs ?? 350) / speedup;
    return (pacing.firstTokenMs ?? 350) / speedup;
  };
  const totalMs = (recorded: Recorded): number => {
    if (!pacing) return 0;
    if (recorded.latencyMs !== undefined && pacing.useRecordedLatency !== false) return recorded.latencyMs / speedup;
    return ((pacing.firstTokenMs ?? 350) + (recorded.outputTokens / (pacing.tokensPerSecond ?? 60)) * 1000) / speedup;
  };

  return {
    specificationVersion: 'v1',
    provider,
    modelId,
    async doGenerate(request: ChatRequest, callOptions?: CallOptions): Promise<ChatResult> {
      throwIfAborted(callOptions?.abortSignal, `Call to ${modelId}`);
      const recorded = limited(request, lookup(request));
      const delay = totalMs(recorded);
      if (delay > 0) await sleep(delay, callOptions?.abortSignal);
      return { text: recorded.text, finishReason: recorded.finishReason, usage: usageOf(request, recorded), responseModelId: modelId };
    },
    async *doStream(request: ChatRequest, callOptions?: CallOptions): AsyncIterable<StreamPart> {
      const signal = callOptions?.abortSignal;
      throwIfAborted(signal, `Call to ${modelId}`);
      const recorded = limited(request, lookup(request));
      const first = firstTokenMs(recorded);
      if (first > 0) await sleep(first, signal);
      yield { type: 'response-metadata', responseModelId: modelId };
      const chunks = splitIntoChunks(recorded.text);
      const perChunkMs = chunks.length > 0 ? Math.max(0, totalMs(recorded) - first) / chunks.length : 0;
      for (const chunk of chunks) {
        if (perChunkMs >= 1) await sleep(perChunkMs, signal);
        else throwIfAborted(signal, `Call to ${modelId}`);
        yield { type: 'text-delta', text: chunk };
      }
      const usage = usageOf(request, recorded);
      yield { type: 'usage', usage };
      yield { type: 'finish', finishReason: recorded.finishReason, usage };
    },
  };
}

/** Replay models for several ids, in the given order (cheapest first for a cascade). */
export function createReplayModels(traces: readonly Trace[], modelIds: readonly string[], options: ReplayModelOptions = {}): ChatModel[] {
  return modelIds.map((modelId) => createReplayModel(traces, modelId, options));
}

/** The prices of a `X.models.json`, for `createPricing({ prices })`. */
export function replayPrices(models: TraceModels): Record<string, ModelPrice> {
  const prices: Record<string, ModelPrice> = {};
  for (const [id, model] of Object.entries(models.models)) prices[id] = { inputUsdPerMTok: model.inputUsdPerMTok, outputUsdPerMTok: model.outputUsdPerMTok };
  return prices;
}

/** The model ids of a `X.models.json`, cheapest first (by output price, then input price). */
export function modelsByCost(models: TraceModels): string[] {
  return Object.entries(models.models)
    .sort(([, a], [, b]) => a.outputUsdPerMTok - b.outputUsdPerMTok || a.inputUsdPerMTok - b.inputUsdPerMTok)
    .map(([id]) => id);
}

/** Splits text into stream chunks of about one token: words with their trailing space, long words cut. */
function splitIntoChunks(text: string): string[] {
  const chunks: string[] = [];
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const isSpace = text.charCodeAt(index) <= 32;
    const next = index + 1;
    const atWordEnd = isSpace && (next >= text.length || text.charCodeAt(next) > 32);
    if (atWordEnd || next - start >= 8) {
      chunks.push(text.slice(start, next));
      start = next;
    }
  }
  if (start < text.length) chunks.push(text.slice(start));
  return chunks;
}
