import { CascadeError, createPricing } from '@cascade/core';
import { DEFAULT_BATCH_SCHEDULE, type FakeBatchSchedule, type FakeOpenAIServer, createFakeOpenAIServer } from '@cascade/core/test';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BatchItem } from '../items/batch-item';
import { type OpenAIBatchProgress, type OpenAIBatchRunnerConfig, createOpenAIBatchRunner } from './openai-batch-runner';

const pricing = createPricing({ includeDefaults: false, prices: { 'gpt-4o-mini': { inputUsdPerMTok: 1, outputUsdPerMTok: 2, batchMultiplier: 0.5 } } });
const fastPoll = { initialDelayMs: 1, multiplier: 1, maxDelayMs: 1 };
const reply = (request: { messages: { content?: unknown }[] }): { text: string; usage: { promptTokens: number; completionTokens: number } } => {
  const last = request.messages.at(-1)?.content;
  return { text: `answer to ${typeof last === 'string' ? last : ''}`, usage: { promptTokens: 100, completionTokens: 50 } };
};

let server: FakeOpenAIServer;
let client: OpenAI;
let schedule: FakeBatchSchedule = DEFAULT_BATCH_SCHEDULE;

beforeAll(async () => {
  // One server for the file; each test picks the batches' schedule through `schedule`.
  server = await createFakeOpenAIServer({ chat: { reply }, batch: { schedule: (batch) => (typeof schedule === 'function' ? schedule(batch) : schedule) } });
  client = new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0 });
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.reset();
  schedule = DEFAULT_BATCH_SCHEDULE;
});

const runner = (config: Omit<OpenAIBatchRunnerConfig, 'modelId'> = {}) => createOpenAIBatchRunner({ modelId: 'gpt-4o-mini', poll: fastPoll, ...config }, { client, pricing });
const prompts = (count: number): string[] => Array.from({ length: count }, (_, index) => `q${index}`);

/** The custom_ids of every created batch's input file, in creation order. */
async function batchInputs(): Promise<string[][]> {
  const created = server.requests.filter((request) => request.method === 'POST' && request.path === '/v1/batches');
  return Promise.all(created.map(async (request) => {
    const text = await (await client.files.content((request.body as { input_file_id: string }).input_file_id)).text();
    return text.trim().split('\n').map((line) => (JSON.parse(line) as { custom_id: string }).custom_id);
  }));
}

const uploadSizes = (): number[] =>
  server.requests.filter((request) => request.method === 'POST' && request.path === '/v1/files').map((request) => (request.body as { files: { bytes: number }[] }).files[0]!.bytes);

describe('createOpenAIBatchRunner: splitting into several batch jobs', () => {
  it('splits by count (3 per file, 8 items → 3 jobs) and merges the results in input order', async () => {
    const progress: OpenAIBatchProgress[] = [];
    const jobIndices = new Set<number>();
    const report = await runner({ maxRequestsPerFile: 3 }).run(prompts(8), {
      metadata: { job: 'nightly' },
      onProgress: (update) => progress.push(update),
      onStatus: (status) => jobIndices.add(status.jobIndex!),
    });
    expect(await batchInputs()).toEqual([['0', '1', '2'], ['3', '4', '5'], ['6', '7']]);
    expect(report.results.map((result) => [result.index, result.id, result.status, result.result?.text])).toEqual(
      prompts(8).map((prompt, index) => [index, String(index), 'ok', `answer to ${prompt}`]),
    );
    expect(report.summary).toMatchObject({ status: 'completed', total: 8, ok: 8, failed: 0, rejected: 0, usage: { inputTokens: 800, outputTokens: 400 } });
    expect(report.summary.batchIds).toHaveLength(3);
    expect(report.summary.batchId).toBe(report.summary.batchIds[0]);
    expect(report.summary.jobs.map((job) => [job.status, job.total, job.ok])).toEqual([['completed', 3, 3], ['completed', 3, 3], ['completed', 2, 2]]);
    expect(report.summary.costUsd).toBeCloseTo(0.0008, 10);
    expect(report.summary.savedUsd).toBeCloseTo(0.0008, 10);
    expect([...jobIndices].sort()).toEqual([0, 1, 2]);
    const created = server.requests.filter((request) => request.method === 'POST' && request.path === '/v1/batches');
    expect(created.every((request) => (request.body as { metadata: unknown }).metadata !== undefined)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ jobsSubmitted: 3, jobsRunning: 0, jobsDone: 3, itemsRead: 8, itemsSubmitted: 8, inputDone: true, ok: 8, failed: 0, requestsCompleted: 8 });
    expect(progress.at(-1)!.costUsd).toBeCloseTo(0.0008, 10);
  });

  it('splits by UTF-8 bytes of the JSONL', async () => {
    const item = (index: number): BatchItem => ({ id: `a${index}`, input: `${'ü'.repeat(200)} ${index}` });
    // The size of one line (with its newline) from a one-item upload.
    await runner().submit([item(0)]);
    const lineBytes = uploadSizes()[0]!;
    server.reset();
    // Exactly two lines per file. Counting characters instead of bytes would fit three.
    const report = await runner({ maxBytesPerFile: 2 * lineBytes }).run([0, 1, 2, 3, 4].map(item));
    expect(await batchInputs()).toEqual([['a0', 'a1'], ['a2', 'a3'], ['a4']]);
    expect(uploadSizes()).toEqual([2 * lineBytes, 2 * lineBytes, lineBytes]);
    expect(report.results.map((result) => [result.id, result.status])).toEqual([0, 1, 2, 3, 4].map((index) => [`a${index}`, 'ok']));
    expect(report.summary).toMatchObject({ total: 5, ok: 5 });
  });

  it('fails only the item whose own line passes maxBytesPerFile, naming it', async () => {
    const items: BatchItem[] = ['small 0', { id: 'huge', input: 'x'.repeat(5_000) }, 'small 2', 'small 3'];
    const report = await runner({ maxBytesPerFile: 1_000 }).run(items);
    expect(report.results.map((result) => [result.id, result.status])).toEqual([['0', 'ok'], ['huge', 'failed'], ['2', 'ok'], ['3', 'ok']]);
    const error = report.results[1]!.error!;
    expect(CascadeError.isInstance(error) && error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('"huge"');
    expect(error.details).toMatchObject({ reason: 'request-too-large', id: 'huge', index: 1, maxBytesPerFile: 1_000 });
    expect(report.summary).toMatchObject({ total: 4, ok: 3, failed: 1, rejected: 1, status: 'completed' });
    expect((await batchInputs()).flat()).toEqual(['0', '2', '3']);

    // submit keeps the rejected item on the job, so a later wait reports it too.
    server.reset();
    const job = await runner({ maxBytesPerFile: 1_000 }).submit(items);
    expect(job.rejected).toEqual([expect.objectContaining({ index: 1, id: 'huge', code: 'INVALID_INPUT' })]);
    const later = await runner().wait(JSON.parse(JSON.stringify(job)) as typeof job);
    expect(later.results.map((result) => result.status)).toEqual(['ok', 'failed', 'ok', 'ok']);
    expect(later.results[1]!.error!.details).toMatchObject({ reason: 'request-too-large' });
  });

  it('a failed or expired job marks its own items and keeps the results of the others', async () => {
    schedule = (batch) =>
      batch.customIds.includes('3') ? ['validating', 'in_progress', 'expired'] : batch.customIds.includes('6') ? ['validating', 'failed'] : DEFAULT_BATCH_SCHEDULE;
    const report = await runner({ maxRequestsPerFile: 3, maxConcurrentJobs: 3 }).run(prompts(9));
    expect(report.results.map((result) => result.status)).toEqual(['ok', 'ok', 'ok', 'timed-out', 'timed-out', 'timed-out', 'failed', 'failed', 'failed']);
    expect(report.results[3]!.error).toMatchObject({ code: 'TIMEOUT' });
    expect(report.results[3]!.error!.message).toContain('expired');
    expect(report.results[6]!.error).toMatchObject({ code: 'MODEL_CALL_FAILED' });
    expect(report.results[6]!.error!.message).toContain('batch_failed');
    expect(report.summary).toMatchObject({ status: 'partial', total: 9, ok: 3, failed: 6 });
    expect(report.summary.jobs.map((job) => job.status)).toEqual(['completed', 'expired', 'failed']);
    expect(report.summary.costUsd).toBeCloseTo(0.0003, 10);
  });

  it('an HTTP error of a later job fails that job only', async () => {
    let uploads = 0;
    server.setFaultHandler((request) => (request.method === 'POST' && request.path === '/v1/files' && ++uploads === 2 ? { status: 500, errorMessage: 'disk full' } : undefined));
    const report = await runner({ maxRequestsPerFile: 2, maxConcurrentJobs: 1 }).run(prompts(6));
    expect(report.results.map((result) => result.status)).toEqual(['ok', 'ok', 'failed', 'failed', 'ok', 'ok']);
    expect(report.results[2]!.error).toMatchObject({ code: 'MODEL_CALL_FAILED', statusCode: 500 });
    expect(report.results[2]!.error!.message).toContain('disk full');
    expect(report.summary.jobs.map((job) => [job.status, job.batchId === ''])).toEqual([['completed', false], ['failed', true], ['completed', false]]);
    expect(report.summary.batchIds).toHaveLength(2);
  });

  it('abort cancels every running job at the provider', async () => {
    schedule = ['validating', ...Array.from<'in_progress'>({ length: 200 }).fill('in_progress'), 'completed'];
    const controller = new AbortController();
    const error = await runner({ maxRequestsPerFile: 2, maxConcurrentJobs: 3, poll: { initialDelayMs: 5, multiplier: 1, maxDelayMs: 5 } })
      .run(prompts(8), { abortSignal: controller.signal, onProgress: (progress) => progress.jobsSubmitted === 3 && progress.requestsCompleted === 0 && controller.abort() })
      .catch((thrown: unknown) => thrown);
    expect(CascadeError.isInstance(error) && error.code).toBe('ABORTED');
    const batchIds = (error as CascadeError).details!.batchIds as string[];
    expect(batchIds).toHaveLength(3);
    const cancelled = server.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/cancel')).map((request) => request.path.split('/')[3]);
    expect(cancelled.sort()).toEqual([...batchIds].sort());
    expect((await batchInputs()).length).toBe(3);
    // The fake server sees them cancelling; the next poll finishes the cancel.
    for (const batchId of batchIds) expect((await client.batches.retrieve(batchId)).status).toBe('cancelled');
    expect(server.stats.batchesActive).toBe(0);
  });

  it('maxWaitMs stops the run without cancelling; details.job waits for the running batches later', async () => {
    schedule = ['validating', 'in_progress', 'in_progress', 'in_progress', 'in_progress', 'completed'];
    const batchRunner = runner({ maxRequestsPerFile: 2, maxConcurrentJobs: 2, poll: { initialDelayMs: 30, multiplier: 1, maxDelayMs: 30 } });
    const error = await batchRunner.run(prompts(4), { maxWaitMs: 50 }).catch((thrown: unknown) => thrown);
    expect(CascadeError.isInstance(error) && error.code).toBe('TIMEOUT');
    expect(server.requests.some((request) => request.path.endsWith('/cancel'))).toBe(false);
    const job = (error as CascadeError).details!.job as Parameters<typeof batchRunner.wait>[0];
    expect(job.parts!.map((part) => part.ids)).toEqual([['0', '1'], ['2', '3']]);
    const report = await runner().wait(job);
    expect(report.results.map((result) => [result.index, result.status])).toEqual([[0, 'ok'], [1, 'ok'], [2, 'ok'], [3, 'ok']]);
  });

  it('a throwing callback or item source rejects the run and cancels the running batches', async () => {
    schedule = ['validating', ...Array.from<'in_progress'>({ length: 200 }).fill('in_progress'), 'completed'];
    const slow = runner({ maxRequestsPerFile: 2, maxConcurrentJobs: 2, poll: { initialDelayMs: 5, multiplier: 1, maxDelayMs: 5 } });
    const thrown = await slow.run(prompts(6), { onStatus: (status) => { if (status.jobIndex === 1) throw new Error('callback bug'); } }).catch((error: unknown) => error);
    expect((thrown as Error).message).toBe('callback bug');
    expect(server.requests.filter((request) => request.path.endsWith('/cancel'))).toHaveLength(2);

    server.reset();
    function* broken(): Generator<string> {
      yield 'q0';
      yield 'q1';
      throw new Error('source bug');
    }
    const fromSource = await slow.run(broken()).catch((error: unknown) => error);
    expect((fromSource as Error).message).toBe('source bug');
    expect(server.requests.filter((request) => request.path.endsWith('/cancel'))).toHaveLength(1);
  });

  it('keeps at most maxConcurrentJobs batches running at the provider', async () => {
    schedule = ['validating', 'in_progress', 'in_progress', 'in_progress', 'completed'];
    const report = await runner({ maxRequestsPerFile: 1, maxConcurrentJobs: 2 }).run(prompts(7));
    expect(report.summary).toMatchObject({ ok: 7, total: 7 });
    expect(report.summary.batchIds).toHaveLength(7);
    expect(server.stats.maxBatchesActive).toBe(2);

    server.reset();
    await runner({ maxRequestsPerFile: 1, maxConcurrentJobs: 3 }).run(prompts(7));
    expect(server.stats.maxBatchesActive).toBe(3);
  });

  it('reads the input lazily: items of file 2 are not read before file 1 is uploaded (and, with one job at a time, done)', async () => {
    let pulled = 0;
    async function* items(): AsyncGenerator<string> {
      for (let index = 0; index < 8; index++) {
        pulled++;
        yield `q${index}`;
      }
    }
    const pulledAtUpload: number[] = [];
    server.setFaultHandler((request) => {
      if (request.method === 'POST' && request.path === '/v1/files') pulledAtUpload.push(pulled);
      return undefined;
    });
    const pulledAtDone: number[] = [];
    const report = await runner({ maxRequestsPerFile: 3, maxConcurrentJobs: 1 }).run(items(), { onStatus: (status) => status.status === 'completed' && pulledAtDone.push(pulled) });
    expect(pulledAtUpload).toEqual([3, 6, 8]);
    expect(pulledAtDone).toEqual([3, 6, 8]);
    expect(report.results.map((result) => result.id)).toEqual(prompts(8).map((_, index) => String(index)));
    expect(server.stats.maxBatchesActive).toBe(1);
  });

  it('submit creates one batch per file; wait merges them, also from a stored job', async () => {
    const job = await runner({ maxRequestsPerFile: 2 }).submit(prompts(5));
    expect(job.parts!.map((part) => part.ids)).toEqual([['0', '1'], ['2', '3'], ['4']]);
    expect(job.batchId).toBe(job.parts![0]!.batchId);
    expect(job.ids).toEqual(['0', '1', '2', '3', '4']);
    const report = await runner().wait(JSON.parse(JSON.stringify(job)) as typeof job);
    expect(report.results.map((result) => [result.id, result.status])).toEqual(job.ids.map((id) => [id, 'ok']));
    expect(report.summary).toMatchObject({ total: 5, ok: 5, status: 'completed' });
  });

  it('rejects duplicate ids in the first file before uploading, and fails a later duplicate only', async () => {
    const early = await runner({ maxRequestsPerFile: 2 }).run([{ id: 'a', input: 'x' }, { id: 'a', input: 'y' }]).catch((thrown: unknown) => thrown);
    expect(CascadeError.isInstance(early) && early.code).toBe('INVALID_INPUT');
    expect(server.requests).toHaveLength(0);
    const report = await runner({ maxRequestsPerFile: 2 }).run([{ id: 'a', input: 'x' }, { id: 'b', input: 'y' }, { id: 'a', input: 'z' }]);
    expect(report.results.map((result) => [result.id, result.status])).toEqual([['a', 'ok'], ['b', 'ok'], ['a', 'failed']]);
    expect(report.results[2]!.error!.details).toMatchObject({ reason: 'duplicate-id', index: 2 });
  });

  it('validates the splitting options', () => {
    expect(() => runner({ maxRequestsPerFile: 0 })).toThrow(/maxRequestsPerFile/);
    expect(() => runner({ maxBytesPerFile: -1 })).toThrow(/maxBytesPerFile/);
    expect(() => runner({ maxConcurrentJobs: 1.5 })).toThrow(/maxConcurrentJobs/);
  });
});
