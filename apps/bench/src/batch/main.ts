/**
 * Batch benchmark: `pnpm bench:batch [--json]`.
 *
 * 1. Throughput: 10,000 items through a two-tier cascade whose cheap model answers in 50 ms, at
 *    concurrency 100. Ideal wall time is items / concurrency × latency = 5.0 s; the goal is within 5%.
 * 2. The v0.2.1 plan's case: 10 queries in under 5 s (here at 1 s model latency, concurrency 10).
 * 3. Memory: heap bytes per pending item while 100,000 items wait behind 100 running ones.
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { runBatch } from '@cascade/batch';
import { type QualityValidator, createCascadeAgent, createPricing } from '@cascade/core';
import { MockChatModel } from '@cascade/core/test';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const json = process.argv.includes('--json');
const pricing = createPricing();
/** Accepts every draft: the bench measures the batch runner, not the validator. */
const acceptAll: QualityValidator = { name: 'accept-all', validate: () => ({ score: 1, passed: true, signals: [], reason: 'bench' }) };

function cascade(latencyMs: number) {
  const cheap = new MockChatModel({ modelId: 'gpt-4o-mini', latencyMs, responses: [{ text: 'A short answer.', usage: { inputTokens: 20, outputTokens: 5 } }] });
  const strong = new MockChatModel({ modelId: 'gpt-4o', latencyMs, responses: [{ text: 'A strong answer.', usage: { inputTokens: 20, outputTokens: 5 } }] });
  return { cheap, strong, agent: createCascadeAgent({ models: [cheap, strong], validator: acceptAll, pricing, complexityRouting: false }) };
}

const prompts = (count: number): string[] => Array.from({ length: count }, (_, index) => `Question number ${index}: what is ${index} + ${index}?`);

async function throughput(items: number, concurrency: number, latencyMs: number) {
  const { cheap, strong, agent } = cascade(latencyMs);
  // Warm up the tokenizer and the engine's code paths.
  await runBatch(agent, prompts(200), { concurrency: 100 });
  cheap.maxInFlight = 0;
  const input = prompts(items);
  const started = performance.now();
  const report = await runBatch(agent, input, { concurrency, retries: 0 });
  const wallMs = performance.now() - started;
  const idealMs = (items / concurrency) * latencyMs;
  return { wallMs, idealMs, maxInFlight: Math.max(cheap.maxInFlight, strong.maxInFlight), summary: report.summary };
}

/** The floor: a minimal hand-written worker pool over `agent.run`, no timeouts, retries or bookkeeping. */
async function plainPool(items: number, concurrency: number, latencyMs: number): Promise<number> {
  const { agent } = cascade(latencyMs);
  await runBatch(agent, prompts(200), { concurrency: 100 });
  const input = prompts(items);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < input.length) await agent.run(input[next++]!, { mode: 'batch' });
    }),
  );
  return performance.now() - started;
}

async function bytesPerPendingItem(items: number, concurrency: number): Promise<number> {
  const { agent } = cascade(3_600_000);
  const input = prompts(items);
  gc();
  const before = process.memoryUsage().heapUsed;
  const controller = new AbortController();
  const running = runBatch(agent, input, { concurrency, abortSignal: controller.signal, cancelGraceMs: 0 });
  await new Promise((resolve) => setTimeout(resolve, 200));
  gc();
  const during = process.memoryUsage().heapUsed;
  controller.abort();
  await running;
  return Math.max(0, during - before) / (items - concurrency);
}

const main = await throughput(10_000, 100, 50);
const baselineWallMs = await plainPool(10_000, 100, 50);
const plan = await throughput(10, 10, 1_000);
const bytes = await bytesPerPendingItem(100_000, 100);

const overIdealRatio = main.wallMs / main.idealMs;
const result = {
  items: 10_000,
  concurrency: 100,
  latencyMs: 50,
  wallMs: Math.round(main.wallMs),
  idealMs: main.idealMs,
  overIdealRatio: Number(overIdealRatio.toFixed(4)),
  maxInFlight: main.maxInFlight,
  bytesPerPendingItem: Math.round(bytes),
  plainPoolWallMs: Math.round(baselineWallMs),
  overPlainPoolRatio: Number((main.wallMs / baselineWallMs).toFixed(4)),
  withinFivePercent: overIdealRatio <= 1.05,
  itemsPerSecond: Math.round(main.summary.itemsPerSecond),
  latencyP50Ms: Number(main.summary.latencyP50Ms.toFixed(1)),
  latencyP95Ms: Number(main.summary.latencyP95Ms.toFixed(1)),
  ok: main.summary.ok,
  planTenQueries: { items: 10, concurrency: 10, latencyMs: 1_000, wallMs: Math.round(plan.wallMs), underFiveSeconds: plan.wallMs < 5_000, ok: plan.summary.ok },
};

if (json) console.log(JSON.stringify(result));
else {
  console.log(`batch: ${result.items} items, concurrency ${result.concurrency}, model latency ${result.latencyMs} ms`);
  console.log(`  wall ${result.wallMs} ms vs ideal ${result.idealMs} ms → ×${result.overIdealRatio} (${result.withinFivePercent ? 'within' : 'NOT within'} 5%)`);
  console.log(`  a plain worker pool over agent.run: ${result.plainPoolWallMs} ms (runBatch ×${result.overPlainPoolRatio} of it)`);
  console.log(`  max in flight ${result.maxInFlight}, ${result.itemsPerSecond} items/s, p50 ${result.latencyP50Ms} ms, p95 ${result.latencyP95Ms} ms, ok ${result.ok}`);
  console.log(`  plan case: 10 queries at 1 s latency in ${result.planTenQueries.wallMs} ms (${result.planTenQueries.underFiveSeconds ? 'under' : 'NOT under'} 5 s)`);
  console.log(`  memory: ${result.bytesPerPendingItem} bytes per pending item (100,000 items, 100 running)`);
}
