/**
 * bench:stream — what streaming through the cascade costs.
 *
 * 1. TTFT added: time to the first text delta through `streamCascade` (optimistic mode, two tiers,
 *    default validator with complexity routing, pipeline) minus the raw `doStream` of the same model,
 *    with a model whose first chunk is ready at once (so only the cascade's own overhead is measured).
 *    Goal: p99 ≤ 1 ms.
 * 2. Events per second through the whole pipeline (driver, stream guard, event log, reader) with a
 *    stream-redaction middleware on. Goal: ≥ 500,000.
 *
 * Usage: pnpm bench:stream [--json] [--samples 2000] [--chunks 20000] [--requests 20]
 */
import {
  type CascadeMiddleware, type ChatModel, type ChatRequest, type GuardedStreamPart, type StreamPart, createCascadeAgent, createPricing,
} from '@cascade/core';
import { streamCascade } from '@cascade/stream';
import { numberArg, parseArgs } from '../shared/args';
import { percentile, round } from '../shared/percentiles';

const args = parseArgs(process.argv.slice(2));
const json = args.has('json');
const samples = numberArg(args, 'samples', 2000);
const chunkCount = numberArg(args, 'chunks', 20_000);
const requests = numberArg(args, 'requests', 20);

/** A model whose stream is ready at once: `chunks` deltas, then usage and finish. */
function instantModel(modelId: string, chunks: readonly string[]): ChatModel {
  const usage = { inputTokens: 20, outputTokens: chunks.length, source: 'provider' as const };
  return {
    specificationVersion: 'v1',
    provider: 'bench',
    modelId,
    doGenerate: async () => ({ text: chunks.join(''), finishReason: 'stop', usage }),
    async *doStream(_request: ChatRequest, options): AsyncGenerator<StreamPart> {
      yield { type: 'response-metadata', responseModelId: modelId };
      for (const text of chunks) {
        if (options?.abortSignal?.aborted) throw new Error('aborted');
        yield { type: 'text-delta', text };
      }
      yield { type: 'usage', usage };
      yield { type: 'finish', finishReason: 'stop', usage };
    },
  };
}

const pricing = createPricing({ includeDefaults: false, prices: { small: { inputUsdPerMTok: 0.15, outputUsdPerMTok: 0.6 }, large: { inputUsdPerMTok: 2.5, outputUsdPerMTok: 10 } } });

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;

/** A minimal stream redactor: e-mails, even split across chunks (text after the last space is held back). */
const redactor: CascadeMiddleware = {
  name: 'bench-redactor',
  async *guardStream(_context, deltas): AsyncGenerator<GuardedStreamPart> {
    let pending = '';
    for await (const delta of deltas) {
      const text = pending.length > 0 ? pending + delta : delta;
      const cut = text.lastIndexOf(' ');
      if (cut < 0) {
        pending = text;
        continue;
      }
      let ready = text.slice(0, cut + 1);
      pending = text.slice(cut + 1);
      if (ready.includes('@')) {
        ready = ready.replace(EMAIL, '[EMAIL]');
        yield { type: 'guardrail', action: 'redacted', findings: [{ guard: 'pii', type: 'EMAIL_ADDRESS', action: 'redact' }] };
      }
      yield { type: 'text', text: ready };
    }
    if (pending.length > 0) yield { type: 'text', text: pending.includes('@') ? pending.replace(EMAIL, '[EMAIL]') : pending };
  },
};

async function rawTtft(model: ChatModel, request: ChatRequest): Promise<number> {
  const started = performance.now();
  let first = Number.NaN;
  for await (const part of model.doStream(request)) if (part.type === 'text-delta' && Number.isNaN(first)) first = performance.now() - started;
  return first;
}

async function cascadeTtft(agent: ReturnType<typeof createCascadeAgent>, prompt: string): Promise<number> {
  const started = performance.now();
  let first = Number.NaN;
  for await (const event of streamCascade(agent, prompt, { streamMode: 'optimistic' })) {
    if (event.type === 'text-delta' && Number.isNaN(first)) first = performance.now() - started;
  }
  return first;
}

async function measureTtft(): Promise<{ rawP50: number; rawP99: number; cascadeP50: number; cascadeP99: number }> {
  const chunks = ['The ', 'answer ', 'is ', '391.'];
  const small = instantModel('small', chunks);
  const agent = createCascadeAgent({ models: [small, instantModel('large', chunks)], pricing });
  const prompt = 'What is 17 * 23?';
  const request: ChatRequest = { messages: [{ role: 'user', content: prompt }] };
  for (let index = 0; index < 500; index++) {
    await rawTtft(small, request);
    await cascadeTtft(agent, prompt);
  }
  const raw: number[] = [];
  const cascade: number[] = [];
  for (let index = 0; index < samples; index++) {
    raw.push(await rawTtft(small, request));
    cascade.push(await cascadeTtft(agent, prompt));
  }
  return { rawP50: percentile(raw, 50), rawP99: percentile(raw, 99), cascadeP50: percentile(cascade, 50), cascadeP99: percentile(cascade, 99) };
}

async function measureThroughput(): Promise<{ events: number; seconds: number }> {
  const words = Array.from({ length: chunkCount }, (_, index) => (index % 500 === 0 ? 'mail jane.doe@example.com ' : `w${index % 97} `));
  const agent = createCascadeAgent({ models: [instantModel('small', words)], pricing, middleware: [redactor] });
  const run = async (): Promise<number> => {
    let events = 0;
    for await (const event of streamCascade(agent, 'Write a long text.', { streamMode: 'optimistic' })) {
      events++;
      if (event.type === 'error') throw event.error;
    }
    return events;
  };
  await run();
  let events = 0;
  const started = performance.now();
  for (let index = 0; index < requests; index++) events += await run();
  return { events, seconds: (performance.now() - started) / 1000 };
}

const ttft = await measureTtft();
const throughput = await measureThroughput();
const report = {
  ttftAddedP50Ms: round(ttft.cascadeP50 - ttft.rawP50, 4),
  ttftAddedP99Ms: round(ttft.cascadeP99 - ttft.rawP99, 4),
  eventsPerSec: Math.round(throughput.events / throughput.seconds),
  rawTtftP50Ms: round(ttft.rawP50, 4),
  rawTtftP99Ms: round(ttft.rawP99, 4),
  cascadeTtftP50Ms: round(ttft.cascadeP50, 4),
  cascadeTtftP99Ms: round(ttft.cascadeP99, 4),
  samples,
  throughputEvents: throughput.events,
  chunksPerRequest: chunkCount,
  requests,
  node: process.version,
};
if (json) console.log(JSON.stringify(report));
else {
  console.log('bench:stream (in-process models whose first chunk is ready at once; cascade overhead only)');
  console.log(`  TTFT added by the cascade  p50 ${report.ttftAddedP50Ms} ms  p99 ${report.ttftAddedP99Ms} ms  (goal p99 <= 1 ms; raw p50 ${report.rawTtftP50Ms} ms, cascade p50 ${report.cascadeTtftP50Ms} ms, ${samples} samples)`);
  console.log(`  events/s with stream redaction  ${report.eventsPerSec.toLocaleString('en-US')}  (goal >= 500,000; ${report.throughputEvents} events in ${requests} requests)`);
}
