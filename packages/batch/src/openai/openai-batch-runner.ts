import {
  CascadeError, type CascadeErrorCode, delayMsSchema, timeoutMsSchema, type ChatResult, type Pricing, type TokenUsage, createPricing, parseConfig, sleep, toCascadeError,
} from '@cascade/core';
import { isRetryableStatus, mapFinishReason, mapOpenAIError, mapToolCalls } from '@cascade/core/openai';
import type { OpenAI } from 'openai';
import { z } from 'zod';
import type { BatchItem, NormalizedBatchItem } from '../items/batch-item';
import type { BatchItemStatus } from '../results/batch-result';
import { toChatCompletionBody } from '@cascade/core/openai';
import { type BatchFileEvent, type BatchInputFile, batchInputFiles, toJsonlBuffer } from './openai-batch-files';
import { type BatchOutputLine, batchChatCompletionSchema, batchOutputLineSchema, errorBodySchema } from './openai-batch-schemas';

const isFunction = (value: unknown): boolean => typeof value === 'function';
const isAbortSignal = (value: unknown): value is AbortSignal => typeof value === 'object' && value !== null && typeof (value as AbortSignal).aborted === 'boolean';

/** OpenAI's limits of one batch input file: 50,000 requests and 200 MB. */
export const OPENAI_BATCH_MAX_REQUESTS_PER_FILE = 50_000;
/** 200 MB less a 10 MB safety margin. */
export const OPENAI_BATCH_DEFAULT_MAX_BYTES_PER_FILE = 190_000_000;

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
        initialDelayMs: delayMsSchema.default(5_000),
        multiplier: z.number().min(1).max(10).default(1.5),
        maxDelayMs: timeoutMsSchema.default(60_000),
      })
      .prefault({}),
    /** Cancel the provider's batches when the caller aborts a wait. @default true */
    cancelOnAbort: z.boolean().default(true),
    /** Requests per input file; more items are split into several batch jobs. @default 50_000 (OpenAI's limit) */
    maxRequestsPerFile: z.number().int().positive().default(OPENAI_BATCH_MAX_REQUESTS_PER_FILE),
    /** UTF-8 bytes per JSONL input file; more are split into several batch jobs. @default 190_000_000 (OpenAI's 200 MB less a margin) */
    maxBytesPerFile: z.number().int().positive().default(OPENAI_BATCH_DEFAULT_MAX_BYTES_PER_FILE),
    /** Batch jobs `run` keeps at the provider at once; the next file is read only when one ends. @default 2 */
    maxConcurrentJobs: z.number().int().positive().default(2),
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

const submitOptionsSchema = z.strictObject({
  abortSignal: z.custom<AbortSignal>(isAbortSignal, { message: 'abortSignal must be an AbortSignal' }).optional(),
  /** Metadata stored on each provider batch (max 16 string pairs at OpenAI). */
  metadata: z.record(z.string(), z.string()).optional(),
});
/** Options of `submit`. */
export type OpenAIBatchSubmitOptions = z.input<typeof submitOptionsSchema>;

const waitOptionsSchema = z.strictObject({
  abortSignal: z.custom<AbortSignal>(isAbortSignal, { message: 'abortSignal must be an AbortSignal' }).optional(),
  /** Give up waiting after this long (`TIMEOUT`, the provider's batches keep running: wait again later). */
  maxWaitMs: timeoutMsSchema.optional(),
  /** Called with each polled status (of every job). */
  onStatus: z.custom<(status: OpenAIBatchStatus) => void>(isFunction, { message: 'onStatus must be a function' }).optional(),
  /** Called after each poll, job submission and job end, with totals across all jobs. */
  onProgress: z.custom<(progress: OpenAIBatchProgress) => void>(isFunction, { message: 'onProgress must be a function' }).optional(),
});
/** Options of `wait`. */
export type OpenAIBatchWaitOptions = z.input<typeof waitOptionsSchema>;

const runOptionsSchema = waitOptionsSchema.extend({ metadata: submitOptionsSchema.shape.metadata });

/** One provider batch of a job: one input file. */
export interface OpenAIBatchJobPart {
  batchId: string;
  inputFileId: string;
  /** The lines' `custom_id`s, in input order. */
  ids: string[];
  /** Input index of each line. */
  indices: number[];
}

/** An item that was not sent (its line alone passes `maxBytesPerFile`, or a repeated id after the first file). */
export interface OpenAIBatchRejectedItem {
  index: number;
  id: string;
  code: CascadeErrorCode;
  message: string;
  details?: Readonly<Record<string, unknown>>;
}

/**
 * A submitted provider batch job: keep it (it is plain JSON) to wait for it later, even from another
 * process. `batchId` / `inputFileId` are the first part's; `parts` lists every provider batch.
 */
export interface OpenAIBatchJob {
  batchId: string;
  inputFileId: string;
  /** Item ids in input order (the lines' `custom_id`s). */
  ids: string[];
  /** Every provider batch of the job, one per input file. Absent on jobs stored before splitting existed. */
  parts?: OpenAIBatchJobPart[];
  /** Items that were not sent. */
  rejected?: OpenAIBatchRejectedItem[];
}

/** The provider's view of a batch, as polled. */
export interface OpenAIBatchStatus {
  batchId: string;
  status: string;
  total: number;
  completed: number;
  failed: number;
  /** 0-based position of the batch among the job's parts. */
  jobIndex?: number;
}

/** Totals across all jobs of a `run` or `wait`. */
export interface OpenAIBatchProgress {
  /** Batch jobs created so far. */
  jobsSubmitted: number;
  /** Jobs created and not yet ended. */
  jobsRunning: number;
  /** Jobs ended (any final status, or failed to upload, create, poll or download). */
  jobsDone: number;
  /** Items read from the input so far. */
  itemsRead: number;
  /** Items sent in a created batch. */
  itemsSubmitted: number;
  /** Items not sent (too large, repeated id). */
  itemsRejected: number;
  /** All input has been read. */
  inputDone: boolean;
  /** The provider's completed / failed request counts, summed over jobs (latest poll of each). */
  requestsCompleted: number;
  requestsFailed: number;
  /** Items with a final result so far. */
  ok: number;
  failed: number;
  /** USD at the batch price of the items finished so far. */
  costUsd: number;
  elapsedMs: number;
}

/** One item of a provider batch: its answer and cost at the batch price, or the typed reason it has none. */
export type OpenAIBatchItemResult =
  | { index: number; id: string; status: 'ok'; result: ChatResult; costUsd: number; error?: undefined }
  | { index: number; id: string; status: Exclude<BatchItemStatus, 'ok'>; error: CascadeError; costUsd: 0; result?: undefined };

/** Totals of one provider batch of a job. */
export interface OpenAIBatchJobSummary {
  /** Empty when the batch could not be created. */
  batchId: string;
  /** The provider's final status, or `failed` when uploading, creating, polling or downloading failed (see `error`). */
  status: string;
  total: number;
  ok: number;
  failed: number;
  costUsd: number;
  /** Why the job failed on our side (HTTP errors). */
  error?: CascadeError;
}

/** Totals of a provider batch job (all its parts). */
export interface OpenAIBatchSummary {
  /** The first part's batch id. */
  batchId: string;
  /** The final status shared by every part (`completed`, `failed`, `expired`, `cancelled`), or `partial` when they differ. */
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
  /** Every part's batch id, in input order. */
  batchIds: string[];
  /** Per part totals, in input order. */
  jobs: OpenAIBatchJobSummary[];
  /** Items not sent. */
  rejected: number;
}

/** Results in input order plus the summary. */
export interface OpenAIBatchReport {
  results: OpenAIBatchItemResult[];
  summary: OpenAIBatchSummary;
}

/** Submits, waits for and reads provider batches. */
export interface OpenAIBatchRunner {
  /**
   * Uploads the items as JSONL (purpose `batch`), one file per `maxRequestsPerFile` / `maxBytesPerFile`,
   * and creates a batch per file, without waiting (every part's batch is created at once; use `run` to bound them).
   */
  submit(items: Iterable<BatchItem> | AsyncIterable<BatchItem>, options?: OpenAIBatchSubmitOptions): Promise<OpenAIBatchJob>;
  /** Polls with backoff until every batch ends, downloads the output and error files and maps lines back to items. */
  wait(job: Pick<OpenAIBatchJob, 'batchId' | 'ids'> & Partial<Pick<OpenAIBatchJob, 'parts' | 'rejected'>>, options?: OpenAIBatchWaitOptions): Promise<OpenAIBatchReport>;
  /**
   * Streams the items into files, submits each as its own batch (at most `maxConcurrentJobs` at the provider,
   * the next file is read only when one ends), waits for all and merges the results in input order.
   */
  run(items: Iterable<BatchItem> | AsyncIterable<BatchItem>, options?: OpenAIBatchSubmitOptions & OpenAIBatchWaitOptions): Promise<OpenAIBatchReport>;
}

const TERMINAL = new Set(['completed', 'failed', 'expired', 'cancelled']);

type PartResults = { results: OpenAIBatchItemResult[]; summary: OpenAIBatchJobSummary; realtimeCostUsd: number; usage: TokenUsage };
type WorkItem = { kind: 'file'; file: BatchInputFile } | { kind: 'part'; part: OpenAIBatchJobPart } | Extract<BatchFileEvent, { kind: 'rejected' }>;

/**
 * Runs requests through an OpenAI-compatible `/v1/batches` endpoint, for offline jobs at the
 * provider's batch discount (OpenAI: half price, results within 24 h). One model, no cascade:
 * use `runBatch` when you need validation and escalation. Jobs of any size are split into several
 * provider batches (50,000 requests / 200 MB per file at OpenAI) and merged back in input order.
 *
 * @param config - model, polling and splitting settings; invalid config throws `INVALID_CONFIG`.
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
  const limits = { maxRequestsPerFile: settings.maxRequestsPerFile, maxBytesPerFile: settings.maxBytesPerFile };
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
  const toLine = (item: NormalizedBatchItem): string => {
    const request = item.userId !== undefined && item.request.user === undefined ? { ...item.request, user: item.userId } : item.request;
    return JSON.stringify({ custom_id: item.id, method: 'POST', url: '/v1/chat/completions', body: toChatCompletionBody(request, modelId, settings.maxTokensParameter) });
  };
  const cancelBatches = (batchIds: readonly string[]): Promise<unknown> => Promise.all(batchIds.map((batchId) => client.batches.cancel(batchId).catch(() => undefined)));

  /** Uploads one file and creates its batch; the file's lines are released once copied into the upload buffer. */
  async function createPart(file: BatchInputFile, signal: AbortSignal | undefined, metadata: Record<string, string> | undefined): Promise<OpenAIBatchJobPart> {
    const { ids, indices } = file;
    let inputFileId: string;
    try {
      // A web `File` (global in Node 20) rather than the SDK's `toFile`: no runtime import of `openai` here.
      const upload = new File([toJsonlBuffer(file)], 'batch.jsonl', { type: 'application/jsonl' });
      inputFileId = (await scoped(signal, (child) => client.files.create({ file: upload, purpose: 'batch' }, { signal: child }))).id;
    } catch (error) {
      throw mapError(error, signal, 'Uploading the batch input file failed');
    }
    try {
      const batch = await scoped(signal, (child) => client.batches.create(
        { input_file_id: inputFileId, endpoint: '/v1/chat/completions', completion_window: settings.completionWindow as '24h', ...(metadata ? { metadata } : {}) },
        { signal: child },
      ));
      return { batchId: batch.id, inputFileId, ids, indices };
    } catch (error) {
      const typed = mapError(error, signal, 'Creating the batch failed');
      throw new CascadeError(typed.code, typed.message, {
        cause: typed, retryable: typed.retryable, details: { inputFileId },
        ...(typed.statusCode !== undefined ? { statusCode: typed.statusCode } : {}),
      });
    }
  }

  async function submit(items: Iterable<BatchItem> | AsyncIterable<BatchItem>, options: OpenAIBatchSubmitOptions = {}): Promise<OpenAIBatchJob> {
    const { abortSignal, metadata } = parseConfig(submitOptionsSchema, options, 'OpenAI batch submit options');
    assertIterable(items);
    const ids: string[] = [];
    const parts: OpenAIBatchJobPart[] = [];
    const rejected: OpenAIBatchRejectedItem[] = [];
    const files = batchInputFiles(items, limits, toLine);
    for (;;) {
      const next = await files.next();
      if (next.done) {
        if (next.value.read === 0) throw new CascadeError('INVALID_INPUT', 'The batch has no items.');
        break;
      }
      const event = next.value;
      if (event.kind === 'rejected') {
        ids[event.item.index] = event.item.id;
        rejected.push(toRejected(event.item));
        continue;
      }
      event.file.ids.forEach((id, line) => (ids[event.file.indices[line]!] = id));
      try {
        parts.push(await createPart(event.file, abortSignal, metadata));
      } catch (error) {
        const typed = toCascadeError(error);
        if (parts.length === 0) throw typed;
        // Later parts: the created ones keep running; hand them back so they can be waited for or cancelled.
        throw new CascadeError(typed.code, `${typed.message} (part ${parts.length + 1}; ${parts.length} batch(es) were created and keep running: details.job)`, {
          cause: typed, details: { job: jobOf(ids, parts, rejected) },
        });
      }
    }
    return jobOf(ids, parts, rejected);
  }

  async function wait(job: Pick<OpenAIBatchJob, 'batchId' | 'ids'> & Partial<Pick<OpenAIBatchJob, 'parts' | 'rejected'>>, options: OpenAIBatchWaitOptions = {}): Promise<OpenAIBatchReport> {
    const waitOptions = parseConfig(waitOptionsSchema, options, 'OpenAI batch wait options');
    if (job.parts === undefined) return waitSingle(job, waitOptions);
    const parts = job.parts;
    const rejected = job.rejected ?? [];
    async function* work(): AsyncGenerator<WorkItem> {
      for (const item of rejected) yield { kind: 'rejected', item: { index: item.index, id: item.id, error: new CascadeError(item.code, item.message, item.details ? { details: item.details } : {}) } };
      for (const part of parts) yield { kind: 'part', part };
    }
    return runJobs(work(), { ...waitOptions, maxConcurrentJobs: Number.POSITIVE_INFINITY, itemsKnown: job.ids.length });
  }

  /** A job stored before splitting existed: one batch, errors reject as they always did. */
  async function waitSingle(job: Pick<OpenAIBatchJob, 'batchId' | 'ids'>, options: z.output<typeof waitOptionsSchema>): Promise<OpenAIBatchReport> {
    const { abortSignal, maxWaitMs, onStatus } = options;
    let batch: OpenAI.Batches.Batch;
    try {
      batch = await pollUntilDone(job.batchId, { signal: abortSignal, started: Date.now(), maxWaitMs, onStatus });
    } catch (error) {
      if (abortSignal?.aborted && CascadeError.isInstance(error) && (error.code === 'ABORTED' || error.code === 'TIMEOUT')) {
        if (settings.cancelOnAbort) await cancelBatches([job.batchId]);
        throw new CascadeError(error.code, `Waiting for batch ${job.batchId} was aborted${settings.cancelOnAbort ? '; the batch was cancelled' : '; the batch keeps running'}.`, { cause: error, details: { batchId: job.batchId, batchIds: [job.batchId] } });
      }
      throw error;
    }
    const lines = await download(batch, abortSignal);
    const part = reportPart(job.ids, job.ids.map((_, index) => index), batch, lines);
    return merge(part.results, [part]);
  }

  async function pollUntilDone(
    batchId: string,
    context: { signal: AbortSignal | undefined; started: number; maxWaitMs: number | undefined; onStatus: ((status: OpenAIBatchStatus) => void) | undefined; jobIndex?: number },
  ): Promise<OpenAI.Batches.Batch> {
    const { signal, started, maxWaitMs, onStatus } = context;
    let delayMs = settings.poll.initialDelayMs;
    for (let poll = 0; ; poll++) {
      let batch: OpenAI.Batches.Batch;
      try {
        if (poll > 0) await sleep(delayMs, signal);
        batch = await scoped(signal, (child) => client.batches.retrieve(batchId, { signal: child }));
      } catch (error) {
        throw mapError(error, signal, `Polling batch ${batchId} failed`);
      }
      onStatus?.({
        batchId: batch.id, status: batch.status, total: batch.request_counts?.total ?? 0, completed: batch.request_counts?.completed ?? 0, failed: batch.request_counts?.failed ?? 0,
        ...(context.jobIndex !== undefined ? { jobIndex: context.jobIndex } : {}),
      });
      if (TERMINAL.has(batch.status)) return batch;
      if (poll > 0) delayMs = Math.min(settings.poll.maxDelayMs, Math.max(1, delayMs * settings.poll.multiplier));
      if (maxWaitMs !== undefined && Date.now() - started + delayMs > maxWaitMs) {
        throw new CascadeError('TIMEOUT', `Batch ${batchId} is still ${batch.status} after ${maxWaitMs} ms; it keeps running at the provider. Call wait() again later.`, { retryable: true, details: { batchId, status: batch.status, maxWait: true } });
      }
    }
  }

  async function download(batch: OpenAI.Batches.Batch, signal: AbortSignal | undefined): Promise<Map<string, BatchOutputLine>> {
    const lines = new Map<string, BatchOutputLine>();
    for (const fileId of [batch.output_file_id, batch.error_file_id]) {
      if (!fileId) continue;
      let text: string;
      try {
        text = await scoped(signal, async (child) => (await client.files.content(fileId, { signal: child })).text());
      } catch (error) {
        throw mapError(error, signal, `Downloading ${fileId} of batch ${batch.id} failed`);
      }
      for (const raw of text.split('\n')) {
        if (raw.trim() === '') continue;
        const parsed = batchOutputLineSchema.safeParse(safeJson(raw));
        if (parsed.success) lines.set(parsed.data.custom_id, parsed.data);
      }
    }
    return lines;
  }

  function reportPart(ids: readonly string[], indices: readonly number[], batch: OpenAI.Batches.Batch, lines: Map<string, BatchOutputLine>): PartResults {
    const usage: TokenUsage = { inputTokens: 0, outputTokens: 0, source: 'provider' };
    let costUsd = 0;
    let realtimeCostUsd = 0;
    const batchError = batch.errors?.data?.map((error) => `${error.code ?? 'error'}${error.line ? ` (line ${error.line})` : ''}: ${error.message ?? ''}`).join('; ');
    const results = ids.map((id, position): OpenAIBatchItemResult => {
      const index = indices[position]!;
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
      const toolCalls = mapToolCalls(choice.message.tool_calls);
      const result: ChatResult = {
        text: choice.message.content ?? choice.message.refusal ?? '',
        ...(toolCalls ? { toolCalls } : {}),
        finishReason: mapFinishReason(choice.finish_reason),
        usage: lineUsage,
        ...(completion.id ? { responseId: completion.id } : {}),
        ...(completion.model ? { responseModelId: completion.model } : {}),
      };
      return { index, id, status: 'ok', result, costUsd: cost };
    });
    const ok = results.filter((result) => result.status === 'ok').length;
    return { results, summary: { batchId: batch.id, status: batch.status, total: results.length, ok, failed: results.length - ok, costUsd }, realtimeCostUsd, usage };
  }

  /** Every item of a job that failed on our side (upload, create, poll, download) gets the job's error. */
  function failedPart(ids: readonly string[], indices: readonly number[], batchId: string, error: CascadeError): PartResults {
    const status: Exclude<BatchItemStatus, 'ok'> = error.code === 'TIMEOUT' ? 'timed-out' : 'failed';
    const results = ids.map((id, position): OpenAIBatchItemResult => ({ index: indices[position]!, id, status, costUsd: 0, error }));
    return {
      results, realtimeCostUsd: 0, usage: { inputTokens: 0, outputTokens: 0, source: 'provider' },
      summary: { batchId, status: 'failed', total: results.length, ok: 0, failed: results.length, costUsd: 0, error },
    };
  }

  /**
   * Creates (for files) and waits for jobs, at most `maxConcurrentJobs` at once, pulling the next
   * work item only when a slot is free. Results land at their input index.
   */
  async function runJobs(
    work: AsyncIterator<WorkItem, unknown>,
    options: z.output<typeof waitOptionsSchema> & { metadata?: Record<string, string>; maxConcurrentJobs: number; itemsKnown?: number; readCount?: () => number },
  ): Promise<OpenAIBatchReport> {
    const { abortSignal, maxWaitMs, metadata, maxConcurrentJobs } = options;
    const started = Date.now();
    const internal = new AbortController();
    const onAbort = (): void => internal.abort(abortSignal?.reason);
    if (abortSignal?.aborted) onAbort();
    else abortSignal?.addEventListener('abort', onAbort, { once: true });
    const signal = internal.signal;

    const results: OpenAIBatchItemResult[] = [];
    const parts: (PartResults | undefined)[] = [];
    const created: OpenAIBatchJobPart[] = [];
    const ended = new Set<string>();
    const counts = new Map<number, { completed: number; failed: number }>();
    const tasks = new Set<Promise<void>>();
    let fatal: { error: unknown } | undefined;
    let inputDone = false;
    let itemsSubmitted = 0;
    let itemsRejected = 0;
    let jobsDone = 0;
    let ok = 0;
    let failed = 0;
    let costUsd = 0;
    let jobCount = 0;

    const progress = (): void => {
      if (!options.onProgress) return;
      let requestsCompleted = 0;
      let requestsFailed = 0;
      for (const count of counts.values()) {
        requestsCompleted += count.completed;
        requestsFailed += count.failed;
      }
      onProgress({
        jobsSubmitted: created.length, jobsRunning: created.length - ended.size, jobsDone,
        itemsRead: options.itemsKnown ?? options.readCount?.() ?? 0, itemsSubmitted, itemsRejected, inputDone,
        requestsCompleted, requestsFailed, ok, failed, costUsd, elapsedMs: Date.now() - started,
      });
    };
    const settle = (jobIndex: number, part: PartResults): void => {
      parts[jobIndex] = part;
      for (const result of part.results) results[result.index] = result;
      ok += part.summary.ok;
      failed += part.summary.failed;
      costUsd += part.summary.costUsd;
      jobsDone++;
    };
    const fail = (error: unknown): void => {
      fatal ??= { error };
      internal.abort(error);
    };
    const aborted = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    // A throwing callback stops the run (running batches are cancelled, the error rethrown), never fails a job.
    const guard = <A extends unknown[]>(callback: ((...args: A) => void) | undefined) => (...args: A): void => {
      if (!callback || fatal) return;
      try {
        callback(...args);
      } catch (error) {
        fail(error);
      }
    };
    const onStatus = guard(options.onStatus);
    const onProgress = guard(options.onProgress);

    const start = (part: OpenAIBatchJobPart, jobIndex: number): void => {
      created.push(part);
      itemsSubmitted += part.ids.length;
      const task = (async () => {
        let batch: OpenAI.Batches.Batch;
        try {
          batch = await pollUntilDone(part.batchId, {
            signal, started, maxWaitMs, jobIndex,
            onStatus: (status) => {
              counts.set(jobIndex, { completed: status.completed, failed: status.failed });
              onStatus(status);
              progress();
            },
          });
        } catch (error) {
          if (signal.aborted || (CascadeError.isInstance(error) && error.details?.maxWait === true)) throw error;
          ended.add(part.batchId);
          settle(jobIndex, failedPart(part.ids, part.indices, part.batchId, withBatchId(toCascadeError(error), part.batchId)));
          return;
        }
        ended.add(part.batchId);
        try {
          settle(jobIndex, reportPart(part.ids, part.indices, batch, await download(batch, signal)));
        } catch (error) {
          if (signal.aborted) throw error;
          settle(jobIndex, failedPart(part.ids, part.indices, part.batchId, withBatchId(toCascadeError(error), part.batchId)));
        }
      })()
        .catch(fail)
        .finally(() => {
          tasks.delete(task);
          progress();
        });
      tasks.add(task);
    };

    try {
      for (;;) {
        while (tasks.size >= maxConcurrentJobs && !fatal) await Promise.race(tasks);
        if (fatal) break;
        const pending = work.next();
        pending.catch(() => undefined);
        const next = await Promise.race([pending, aborted.then(() => undefined)]);
        if (next === undefined || fatal) break;
        if (next.done) {
          inputDone = true;
          progress();
          break;
        }
        const item = next.value;
        if (item.kind === 'rejected') {
          itemsRejected++;
          failed++;
          results[item.item.index] = { index: item.item.index, id: item.item.id, status: 'failed', costUsd: 0, error: item.item.error };
          continue;
        }
        const jobIndex = jobCount++;
        if (item.kind === 'part') {
          start(item.part, jobIndex);
          progress();
          continue;
        }
        const { ids, indices } = item.file;
        try {
          start(await createPart(item.file, signal, metadata), jobIndex);
        } catch (error) {
          if (signal.aborted) {
            fail(error);
            break;
          }
          // Nothing is running yet: reject as a single job always did.
          if (created.length === 0 && tasks.size === 0 && parts.every((part) => part === undefined)) throw error;
          const typed = toCascadeError(error);
          settle(jobIndex, failedPart(ids, indices, '', typed));
        }
        progress();
      }
      await Promise.all([...tasks]);
      if (signal.aborted) fail(toCascadeError(signal.reason, 'ABORTED'));
    } catch (error) {
      fail(error);
    } finally {
      abortSignal?.removeEventListener('abort', onAbort);
    }

    if (fatal) {
      internal.abort(fatal.error);
      await Promise.allSettled([...tasks]);
      void work.return?.(undefined)?.catch(() => undefined);
      const unfinished = created.filter((part) => !ended.has(part.batchId));
      const running = unfinished.map((part) => part.batchId);
      const error = fatal.error;
      if (CascadeError.isInstance(error) && error.details?.maxWait === true) {
        throw new CascadeError('TIMEOUT', `${running.length} batch(es) still running after ${maxWaitMs} ms; they keep running at the provider. Wait for details.job later.`, {
          cause: error, retryable: true,
          details: { batchId: running[0], batchIds: running, job: jobOf(unfinished.flatMap((part) => part.ids), unfinished, []), itemsRead: options.itemsKnown ?? options.readCount?.() ?? 0 },
        });
      }
      const cancel = settings.cancelOnAbort && running.length > 0;
      if (cancel) await cancelBatches(running);
      if (abortSignal?.aborted) {
        const typed = CascadeError.isInstance(error) ? error : toCascadeError(abortSignal.reason, 'ABORTED');
        const code = typed.code === 'TIMEOUT' ? 'TIMEOUT' : 'ABORTED';
        const which = running.length === 1 ? `batch ${running[0]}` : `${running.length} batches`;
        throw new CascadeError(code, `Waiting for ${which} was aborted${running.length === 0 ? '' : cancel ? `; ${running.length === 1 ? 'the batch was' : 'they were'} cancelled` : `; ${running.length === 1 ? 'the batch keeps' : 'they keep'} running`}.`, {
          cause: typed, details: { batchId: running[0] ?? created[0]?.batchId, batchIds: running },
        });
      }
      throw error;
    }
    // Dense, in input order; each result keeps its input index (a job of some parts only has results for those).
    return merge(results.filter((result) => result !== undefined), parts.filter((part): part is PartResults => part !== undefined), itemsRejected);
  }

  async function run(items: Iterable<BatchItem> | AsyncIterable<BatchItem>, options: OpenAIBatchSubmitOptions & OpenAIBatchWaitOptions = {}): Promise<OpenAIBatchReport> {
    const { metadata, ...waitOptions } = parseConfig(runOptionsSchema, options, 'OpenAI batch run options');
    assertIterable(items);
    let read = 0;
    const files = batchInputFiles(items, limits, toLine, () => read++);
    async function* work(): AsyncGenerator<WorkItem, unknown> {
      const result = yield* files;
      if (result.read === 0) throw new CascadeError('INVALID_INPUT', 'The batch has no items.');
      return result;
    }
    return runJobs(work(), { ...waitOptions, ...(metadata ? { metadata } : {}), maxConcurrentJobs: settings.maxConcurrentJobs, readCount: () => read });
  }

  return { submit, wait, run };
}

function merge(results: OpenAIBatchItemResult[], parts: readonly PartResults[], rejected = 0): OpenAIBatchReport {
  const usage: TokenUsage = { inputTokens: 0, outputTokens: 0, source: 'provider' };
  let costUsd = 0;
  let realtimeCostUsd = 0;
  for (const part of parts) {
    costUsd += part.summary.costUsd;
    realtimeCostUsd += part.realtimeCostUsd;
    usage.inputTokens += part.usage.inputTokens;
    usage.outputTokens += part.usage.outputTokens;
  }
  const jobs = parts.map((part) => part.summary);
  const statuses = new Set(jobs.map((job) => job.status));
  const status = statuses.size === 1 ? [...statuses][0]! : statuses.size === 0 ? 'failed' : 'partial';
  const ok = results.filter((result) => result?.status === 'ok').length;
  return {
    results,
    summary: {
      batchId: jobs[0]?.batchId ?? '', status, total: results.length, ok, failed: results.length - ok,
      costUsd, realtimeCostUsd, savedUsd: realtimeCostUsd - costUsd, usage,
      batchIds: jobs.map((job) => job.batchId).filter((batchId) => batchId !== ''), jobs, rejected,
    },
  };
}

function jobOf(ids: string[], parts: OpenAIBatchJobPart[], rejected: OpenAIBatchRejectedItem[]): OpenAIBatchJob {
  return { batchId: parts[0]?.batchId ?? '', inputFileId: parts[0]?.inputFileId ?? '', ids, parts, ...(rejected.length > 0 ? { rejected } : {}) };
}

function toRejected(item: { index: number; id: string; error: CascadeError }): OpenAIBatchRejectedItem {
  return { index: item.index, id: item.id, code: item.error.code, message: item.error.message, ...(item.error.details ? { details: item.error.details } : {}) };
}

function withBatchId(error: CascadeError, batchId: string): CascadeError {
  if (error.details?.batchId === batchId) return error;
  return new CascadeError(error.code, error.message, {
    cause: error, retryable: error.retryable, details: { ...error.details, batchId },
    ...(error.statusCode !== undefined ? { statusCode: error.statusCode } : {}),
  });
}

/**
 * Runs one HTTP call on a child of `signal`: the SDK leaves an abort listener on the signal it gets,
 * which on a shared signal would pile up over thousands of polls.
 */
async function scoped<T>(signal: AbortSignal | undefined, call: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
  if (!signal) return call(undefined);
  const child = new AbortController();
  const onAbort = (): void => child.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await call(child.signal);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

function assertIterable(items: unknown): void {
  const iterable = items as { [Symbol.iterator]?: unknown; [Symbol.asyncIterator]?: unknown } | null | undefined;
  if (iterable == null || (typeof iterable[Symbol.iterator] !== 'function' && typeof iterable[Symbol.asyncIterator] !== 'function')) {
    throw new CascadeError('INVALID_INPUT', 'The batch items must be an array, an iterable or an async iterable.');
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    return toCascadeError(error, 'INVALID_INPUT');
  }
}
