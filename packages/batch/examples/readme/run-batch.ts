import { createCascadeAgent } from '@cascade/core';
import { createOpenAIChatModel } from '@cascade/core/openai';
import { runBatch } from '@cascade/batch';

const agent = createCascadeAgent({ models: [createOpenAIChatModel({ modelId: 'gpt-4o-mini' }), createOpenAIChatModel({ modelId: 'gpt-4o' })] });
const { results, summary } = await runBatch(agent, [
  'What is 17 * 23?',
  { id: 'ticket-42', input: 'Summarize this ticket: ...', userId: 'u_123' },
], { concurrency: 10, itemTimeoutMs: 30_000, totalTimeoutMs: 600_000, retries: 2, budgetUsd: 5 });

for (const result of results) {            // input order, one per item
  if (result.status === 'ok') console.log(result.id, result.result.text, result.costUsd);
  else console.warn(result.id, result.status, result.error.code, result.error.message);
}
console.log(summary.ok, summary.costUsd, summary.savings, summary.latencyP95Ms, summary.itemsPerSecond);
