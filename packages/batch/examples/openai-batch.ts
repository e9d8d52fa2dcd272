/**
 * Submits a provider batch (OpenAI `/v1/batches`, half price) and maps the results back to items.
 * Offline by default against the fake OpenAI-compatible server; set OPENAI_API_KEY to use OpenAI
 * itself (results then take minutes to hours).
 *
 *   npx tsx --conditions=source examples/openai-batch.ts
 */
import { createFakeOpenAIServer } from '@cascade/core/test';
import { createOpenAIBatchRunner } from '@cascade/batch/openai';
import OpenAI from 'openai';

const live = process.env['OPENAI_API_KEY'] !== undefined;
const server = live ? undefined : await createFakeOpenAIServer();
const client = server ? new OpenAI({ baseURL: server.url, apiKey: 'not-needed' }) : new OpenAI();
try {
  const runner = createOpenAIBatchRunner({ modelId: 'gpt-4o-mini', poll: live ? {} : { initialDelayMs: 10 } }, { client });
  const job = await runner.submit([
    { id: 'doc-1', input: 'Summarize: the cat sat on the mat.' },
    { id: 'doc-2', input: { messages: [{ role: 'user', content: 'Translate to French: good morning' }], maxOutputTokens: 50 } },
  ]);
  console.log(`submitted ${job.batchId} (${job.ids.length} items)`);
  const { results, summary } = await runner.wait(job, { onStatus: (status) => console.log(`  ${status.status} ${status.completed}/${status.total}`) });
  for (const result of results) console.log(result.id, result.status, result.status === 'ok' ? result.result.text : result.error.message);
  console.log(`cost $${summary.costUsd.toFixed(6)} at the batch price (saved $${summary.savedUsd.toFixed(6)} vs real time)`);
} finally {
  await server?.close();
}
