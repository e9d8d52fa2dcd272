/**
 * Runs 40 questions from three users through a two-tier cascade with bounded concurrency,
 * a per-item timeout, retries and a budget, printing progress. Offline: the models are mocks.
 *
 *   npx tsx --conditions=source examples/run-batch.ts
 */
import { type CascadeMiddleware, createCascadeAgent, lastUserText } from '@cascade/core';
import { MockChatModel, mockProviderError } from '@cascade/core/test';
import { type BatchRequest, runBatch } from '@cascade/batch';

// The cheap model hedges on "why" questions (the validator escalates them) and fails now and then.
const cheap = new MockChatModel({
  modelId: 'gpt-4o-mini',
  responses: (request, call) => {
    const prompt = lastUserText(request.messages);
    if (call % 13 === 5) return { error: mockProviderError(503), latencyMs: 20 };
    return { text: prompt.startsWith('Why') ? 'I am not sure.' : `The answer to "${prompt}" is 42.`, latencyMs: 40 + (call % 5) * 10 };
  },
});
const strong = new MockChatModel({ modelId: 'gpt-4o', latencyMs: 120, responses: (request) => ({ text: `A careful answer to "${lastUserText(request.messages)}": 42, because of how the question is framed.` }) });

// A tiny stand-in for @cascade/profiles: free users may only use the cheap model.
const tiers: CascadeMiddleware = {
  name: 'example-tiers',
  resolve: (context) => (context.userId === 'free-user' ? { principal: { userId: context.userId, tier: 'free' }, policy: { allowedModels: ['gpt-4o-mini'] } } : undefined),
};

const agent = createCascadeAgent({ models: [cheap, strong], middleware: [tiers] });
const users = ['free-user', 'pro-user', 'team-user'];
const items: BatchRequest[] = Array.from({ length: 40 }, (_, index) => ({
  id: `q-${index}`,
  input: index % 4 === 0 ? `Why is the sky blue (variant ${index})?` : `What is ${index} times 6?`,
  userId: users[index % users.length],
}));

const { results, summary } = await runBatch(agent, items, {
  concurrency: 8,
  itemTimeoutMs: 5_000,
  retries: 2,
  backoff: { initialDelayMs: 50 },
  budgetUsd: 1,
  onProgress: (progress) => process.stdout.write(`\r${progress.completed}/${progress.total} done, ${progress.inFlight} running, $${progress.costUsd.toFixed(5)}`),
});
process.stdout.write('\n');

for (const result of results.slice(0, 5)) {
  console.log(result.id, result.status, result.status === 'ok' ? `${result.result.modelId}: ${result.result.text}` : result.error.code);
}
console.log(
  `ok ${summary.ok}, failed ${summary.failed}, retries ${summary.retries}, cost $${summary.costUsd.toFixed(5)} ` +
    `(savings ${(summary.savings * 100).toFixed(0)}% vs the strong model alone), p50 ${summary.latencyP50Ms.toFixed(0)} ms, ` +
    `p95 ${summary.latencyP95Ms.toFixed(0)} ms, ${summary.itemsPerSecond.toFixed(1)} items/s`,
);
console.log(`max calls in flight: ${cheap.maxInFlight} (cheap), ${strong.maxInFlight} (strong)`);
