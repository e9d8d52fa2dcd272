import {
  CascadeError, type ChatResult, type Pricing, type TokenUsage, createPricing, parseConfig, sleep, toCascadeError,
} from '@cascade/core';
import { isRetryableStatus, mapFinishReason, mapOpenAIError } from '@cascade/core/openai';
import { type OpenAI, toFile } from 'openai';
import { z } from 'zod';
import { type BatchItem, type NormalizedBatchItem, normalizeBatchItem } from '../items/batch-item';
import type { BatchItemStatus } from '../results/batch-result';
import { toChatCompletionBody } from '@cascade/core/openai';
import { type BatchOutputLine, batchChatCompletionSchema, batchOutputLineSchema, errorBodySchema } from './openai-batch-schemas';

const isFunction = (value: unknown): boolean => typeof value === 'function';
const isAbortSignal = (value: unknown): value is AbortSignal => typeof value === 'object' && value !== null && typeof (value as AbortSignal).aborted === 'boolean';

/** Config of {@link createOpenAIBatchRunner}. */
export const openAIBatchRunnerConfigSchema = z
  .object({
    /** The model every line of the batch calls. Must have a price (its `batchMultiplier` applies). */
    modelId: z.string().min(1),
    /** Provider name for messages. @default 'openai' */
    provider: z.string().min(1).default('openai'),
    /** Body field for `maxOutputTokens`. @default 'max_completion_tokens' (OpenAI); `max_tokens` for most other servers */
    maxTokensParameter: z.enum(['max_tokens', 'max_completion_tokens']).default('max_completion_tokens'),
    /** The provider's completion window. @default '24h' */
    completionWindow: z.string().min(1).default('24h'),
    /** Polling backoff: first wait, growth per poll, cap. */
    poll: z
      .object({
        initialDelayMs: z.number().int().nonnegative().default(5_000),
        multiplier: z.number().min(1).max(10).default(1.5),
        maxDelayMs: z.number().int().positive().default(60_000),
      })
      .prefault({}),
    /** Cancel the provider's batch when the caller aborts a wait. @default true */
    cancelOnAbort: z.boolean().default(true),
  })
  .strict();
export type OpenAIBatchRunnerConfig = z.input<typeof openAIBatchRunnerConfigSchema>;

/** Dependencies of {@link createOpenAIBatchRunner}. */
export interface OpenAIBatchRunnerDeps {
  /** An `openai` client for an OpenAI-compatible server that implements `/v1/files` and `/v1/batches`. */
  client: OpenAI;
  /** Prices usage at the batch rate. @default createPricing() */
  pricing?: Pricing;
}

const submitOptionsSchema = z.object({
  abortSignal: z.custom<AbortSignal>(isAbortSignal, { message: 'abortSignal must be an AbortSignal' }).optional(),
  /** Metadata stored on the provider's batch (max 16 string pairs at OpenAI). */
  metadata: z.record(z.string(), z.string()).optional(),
});
/** Options of `submit`. */
export type OpenAIBatchSubmitOptions = z.input<typeof submitOptionsSchema>;

const waitOptionsSchema = z.object({
  abortSignal: z.custom<AbortSignal>(isAbortSignal, { message: 'abortSignal must be an AbortSignal' }).optional(),
  /** Give up waiting after this long (`TIMEOUT`, the provider's batch keeps running: wait again later). */
  maxWaitMs: z.number().int().positive().optional(),
  /** Called with each polled status. */
  onStatus: z.custom<(status: OpenAIBatchStatus) => void>(isFunction, { message: 'onStatus must be a function' }).optional(),
});
/** Options of `wait`. */
export type OpenAIBatchWaitOptions = z.input<typeof waitOptionsSchema>;

/** A submitted provider batch: keep `batchId` and `ids` to wait for it later (even from another process). */
export interface OpenAIBatchJob {
  batchId: string;
  inputFileId: string;
  /** Item ids in input order (the lines' `custom_id`s). */
  ids: string[];
}

/** The provider's view of a batch, as polled. */
export interface OpenAIBatchStatus {
  batchId: string;
  status: string;
  total: number;
  completed: number;
  failed: number;
}

/** One item of a provider batch: its answer and cost at the batch price, or the typed reason it has none. */
export type OpenAIBatchItemResult =
  | { index: number; id: string; status: 'ok'; result: ChatResult; costUsd: number; error?: undefined }
  | { index: number; id: string; status: Exclude<BatchItemStatus, 'ok'>; error: CascadeError; costUsd: 0; result?: undefined };

/** Totals of a provider batch. */
export interface OpenAIBatchSummary {
  batchId: string;
  /** The provider's final status: `completed`, `failed`, `expired` or `cancelled`. */
  status: string;
  total: number;
  ok: number;
  failed: number;
  /** USD at the batch price. */
  costUsd: number;
  /** What the same usage costs through the real-time API. */
  realtimeCostUsd: number;
  /** `realtimeCostUsd - costUsd`. */
  savedUsd: number;
  usage: TokenUsage;
}

/** Results in input order plus the summary. */
export interface OpenAIBatchReport {
  results: OpenAIBatchItemResult[];
  summary: OpenAIBatchSummary;
}

/** Submits, waits for and reads provider batches. */
export interface OpenAIBatchRunner {
  /** Uploads the items as JSONL (purpose `batch`) and creates the batch. */
  submit(items: Iterable<BatchItem>, options?: OpenAIBatchSubmitOptions): Promise<OpenAIBatchJob>;
  /** Polls with backoff until the batch ends, downloads its output and error files and maps lines back to items. */
  wait(job: Pick<OpenAIBatchJob, 'batchId' | 'ids'>, options?: OpenAIBatchWaitOptions): Promise<OpenAIBatchReport>;
  /** `submit` then `wait`. */
  run(items: Iterable<BatchItem>, options?: OpenAIBatchSubmitOptions & OpenAIBatchWaitOptions): Promise<OpenAIBatchReport>;
}

const TERMINAL = new Set(['completed', 'failed', 'expired', 'cancelled']);

/**
 * Runs requests through an OpenAI-compatible `/v1/batches` endpoint, for offline jobs at the
 * provider's batch discount (OpenAI: half price, results within 24 h). One model, no cascade:
 * use `runBatch` when you need validation and escalation.
 *
 * @param config - model and polling settings; invalid config throws `INVALID_CONFIG`.
 * @param deps - the `openai` client and the pricing.
 *
 * @example
 * const runner = createOpenAIBatchRunner({ modelId: 'gpt-4o-mini' }, { client: new OpenAI() });
 * const job = await runner.submit([{ id: 'doc-1', input: 'Summarize: ...' }]);
 * const { results, summary } = await runner.wait(job); // later, even from another process
 * summary.costUsd; summary.savedUsd;
 */
export function createOpenAIBatchRunner(config: OpenAIBatchRunnerConfig, deps: OpenAIBatchRunnerDeps): OpenAIBatchRunner {
  const settings = parseConfig(openAIBatchRunnerConfigSchema, config, 'createOpenAIBatchRunner config');
  if (typeof deps?.client?.batches?.create !== 'function' || typeof deps.client.files?.create !== 'function') {
    throw new CascadeError('INVALID_CONFIG', 'createOpenAIBatchRunner needs deps.client: an `openai` client (new OpenAI({ baseURL, apiKey })).');
  }
  const client = deps.client;
  const pricing = deps.pricing ?? createPricing();
  const { modelId, provider } = settings;
  // Fail at construction when the model has no price.
  pricing.costOf(modelId, { inputTokens: 0, outputTokens: 0, source: 'provider' });
  const mapError = (error: unknown, signal: AbortSignal | undefined, step: string): CascadeError => {
    const mapped = mapOpenAIError(error, { provider, modelId, abortSignal: signal });
    return CascadeError.isInstance(error) ? mapped : new CascadeError(mapped.code, `${step}: ${mapped.message}`, {
      cause: mapped, retryable: mapped.retryable,
      ...(mapped.statusCode !== undefined ? { statusCode: mapped.statusCode } : {}),
      ...(mapped.retryAfterMs !== undefined ? { retryAfterMs: mapped.retryAfterMs } : {}),
    });
  };

  async function submit(items: Iterable<BatchItem>, options: OpenAIBatchSubmitOptions = {}): Promise<OpenAIBatchJob> {
    const { abortSignal, metadata } = parseConfig(submitOptionsSchema, options, 'OpenAI batch submit options');
    const normalized: NormalizedBatchItem[] = [];
    let index = 0;
    for (const item of items) normalized.push(normalizeBatchItem(item, index++));
    if (normalized.length === 0) throw new CascadeError('INVALID_INPUT', 'The batch has no items.');
    const seen = new Set<string>();
    const lines: string[] = [];
    for (const item of normalized) {
      if (seen.has(item.id)) throw new CascadeError('INVALID_INPUT', `Duplicate batch item id "${item.id}": ids become custom_ids and must be unique.`);
      seen.add(item.id);
      const request = item.userId !== undefined && item.request.user === undefined ? { ...item.request, user: item.userId } : item.request;
      lines.push(JSON.stringify({ custom_id: item.id, method: 'POST', url: '/v1/chat/completions', body: toChatCompletionBody(request, modelId, settings.maxTokensParameter) }));
    }
    let inputFileId: string;
    try {
      const file = await client.files.create({ file: await toFile(Buffer.from(lines.join('\n') + '\n', 'utf8'), 'batch.jsonl', { type: 'application/jsonl' }), purpose: 'batch' }, { signal: abortSignal });
      inputFileId = file.id;
    } catch (error) {
      throw mapError(error, abortSignal, 'Uploading the batch input file failed');
    }
    try {
      const batch = await client.batches.create(
        { input_file_id: inputFileId, endpoint: '/v1/chat/completions', completion_window: settings.completionWindow as '24h', ...(metadata ? { metadata } : {}) },
        { signal: abortSignal },
      );
      return { batchId: batch.id, inputFileId, ids: normalized.map((item) => item.id) };
    } catch (error) {
      throw mapError(error, abortSignal, 'Creating the batch failed');
    }
  }

  async function wait(job: Pick<OpenAIBatchJob, 'batchId' | 'ids'>, options: OpenAIBatchWaitOptions = {}): Promise<OpenAIBatchReport> {
    const { abortSignal, maxWaitMs, onStatus } = parseConfig(waitOptionsSchema, options, 'OpenAI batch wait options');
    const started = Date.now();
    let delayMs = settings.poll.initialDelayMs;
    let batch: OpenAI.Batches.Batch;
    for (let poll = 0; ; poll++) {
      try {
        if (poll > 0) await sleep(delayMs, abortSignal);
        batch = await client.batches.retrieve(job.batchId, { signal: abortSignal });
      } catch (error) {
        const typed = mapError(error, abortSignal, `Polling batch ${job.batchId} failed`);
        if (typed.code === 'ABORTED' || typed.code === 'TIMEOUT') {
          if (abortSignal?.aborted && settings.cancelOnAbort) await client.batches.cancel(job.batchId).catch(() => undefined);
          throw new CascadeError(typed.code, `Waiting for batch ${job.batchId} was aborted${settings.cancelOnAbort ? '; the batch was cancelled' : '; the batch keeps running'}.`, { cause: typed, details: { batchId: job.batchId } });
        }
        throw typed;
      }
      onStatus?.({ batchId: batch.id, status: batch.status, total: batch.request_counts?.total ?? 0, completed: batch.request_counts?.completed ?? 0, failed: batch.request_counts?.failed ?? 0 });
      if (TERMINAL.has(batch.status)) break;
      if (poll > 0) delayMs = Math.min(settings.poll.maxDelayMs, Math.max(1, delayMs * settings.poll.multiplier));
      if (maxWaitMs !== undefined && Date.now() - started + delayMs > maxWaitMs) {
        throw new CascadeError('TIMEOUT', `Batch ${job.batchId} is still ${batch.status} after ${maxWaitMs} ms; it keeps running at the provider. Call wait() again later.`, { retryable: true, details: { batchId: job.batchId, status: batch.status } });
      }
    }
    const lines = new Map<string, BatchOutputLine>();
    for (const fileId of [batch.output_file_id, batch.error_file_id]) {
      if (!fileId) continue;
      let text: string;
      try {
        text = await (await client.files.content(fileId, { signal: abortSignal })).text();
      } catch (error) {
        throw mapError(error, abortSignal, `Downloading ${fileId} of batch ${job.batchId} failed`);
      }
      for (const raw of text.split('\n')) {
        if (raw.trim() === '') continue;
        const parsed = batchOutputLineSchema.safeParse(safeJson(raw));
        if (parsed.success) lines.set(parsed.data.custom_id, parsed.data);
      }
    }
    return report(job, batch, lines);
  }

  function report(job: Pick<OpenAIBatchJob, 'batchId' | 'ids'>, batch: OpenAI.Batches.Batch, lines: Map<string, BatchOutputLine>): OpenAIBatchReport {
    const usage: TokenUsage = { inputTokens: 0, outputTokens: 0, source: 'provider' };
    let costUsd = 0;
    let realtimeCostUsd = 0;
    const batchError = batch.errors?.data?.map((error) => `${error.code ?? 'error'}${error.line ? ` (line ${error.line})` : ''}: ${error.message ?? ''}`).join('; ');
    const results = job.ids.map((id, index): OpenAIBatchItemResult => {
      const line = lines.get(id);
      if (!line) {
        const status: Exclude<BatchItemStatus, 'ok'> = batch.status === 'expired' ? 'timed-out' : batch.status === 'cancelled' ? 'aborted' : 'failed';
        const message = batch.status === 'failed'
          ? `Batch ${batch.id} failed validation: ${batchError ?? 'no details'}. Fix the input and submit again.`
          : `Batch ${batch.id} ended ${batch.status} without a result for item "${id}".`;
        return { index, id, status, costUsd: 0, error: new CascadeError(status === 'timed-out' ? 'TIMEOUT' : status === 'aborted' ? 'ABORTED' : 'MODEL_CALL_FAILED', message, { details: { batchId: batch.id, status: batch.status } }) };
      }
      const statusCode = line.response?.status_code;
      const body = batchChatCompletionSchema.safeParse(line.response?.body);
      if (statusCode !== 200 || !body.success) {
        const bodyError = errorBodySchema.safeParse(line.response?.body);
        const reason = line.error?.message ?? (bodyError.success ? bodyError.data.error.message : undefined) ?? (body.success ? 'no reason given' : 'unreadable response body');
        return {
          index, id, status: 'failed', costUsd: 0,
          error: new CascadeError('MODEL_CALL_FAILED', `Batch item "${id}" failed on ${provider} model ${modelId}${statusCode !== undefined ? ` (HTTP ${statusCode})` : ''}: ${reason}`, {
            retryable: statusCode !== undefined && isRetryableStatus(statusCode),
            ...(statusCode !== undefined ? { statusCode } : {}),
            details: { batchId: batch.id, customId: id },
          }),
        };
      }
      const completion = body.data;
      const choice = completion.choices[0]!;
      const cached = completion.usage?.prompt_tokens_details?.cached_tokens;
      const lineUsage: TokenUsage = completion.usage
        ? { inputTokens: completion.usage.prompt_tokens, outputTokens: completion.usage.completion_tokens, ...(typeof cached === 'number' && cached > 0 ? { cachedInputTokens: cached } : {}), source: 'provider' }
        : { inputTokens: 0, outputTokens: 0, source: 'estimated' };
      const cost = pricing.costOf(modelId, lineUsage, { batch: true });
      costUsd += cost;
      realtimeCostUsd += pricing.costOf(modelId, lineUsage);
      usage.inputTokens += lineUsage.inputTokens;
      usage.outputTokens += lineUsage.outputTokens;
      const result: ChatResult = {
        text: choice.message.content ?? choice.message.refusal ?? '',
        finishReason: mapFinishReason(choice.finish_reason),
        usage: lineUsage,
        ...(completion.id ? { responseId: completion.id } : {}),
        ...(completion.model ? { responseModelId: completion.model } : {}),
      };
      return { index, id, status: 'ok', result, costUsd: cost };
    });
    const ok = results.filter((result) => result.status === 'ok').length;
    return {
      results,
      summary: { batchId: batch.id, status: batch.status, total: results.length, ok, failed: results.length - ok, costUsd, realtimeCostUsd, savedUsd: realtimeCostUsd - costUsd, usage },
    };
  }

  async function run(items: Iterable<BatchItem>, options: OpenAIBatchSubmitOptions & OpenAIBatchWaitOptions = {}): Promise<OpenAIBatchReport> {
    const { metadata, ...waitOptions } = options;
    const job = await submit(items, { ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}), ...(metadata ? { metadata } : {}) });
    return wait(job, waitOptions);
  }

  return { submit, wait, run };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    return toCascadeError(error, 'INVALID_INPUT');
  }
}
