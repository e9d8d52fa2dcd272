import OpenAI from 'openai';
import { createOpenAIBatchRunner } from '@cascade/batch/openai';

async function* readRequestsLazily(): AsyncIterable<{ id: string; input: string }> {   // any (async) iterable
  for (let index = 0; index < 120_000; index++) yield { id: `doc-${index}`, input: `Summarize document ${index}` };
}

const runner = createOpenAIBatchRunner({ modelId: 'gpt-4o-mini', maxConcurrentJobs: 2 }, { client: new OpenAI() });
const { results, summary } = await runner.run(readRequestsLazily(), {
  onProgress: (p) => console.log(`${p.jobsDone}/${p.jobsSubmitted} jobs, ${p.requestsCompleted} done`),
});
console.log(results.length);
console.log(summary.batchIds);       // one per input file
console.log(summary.jobs);           // [{ batchId, status, total, ok, failed, costUsd, error? }, ...]
console.log(summary.status);         // 'completed', or 'partial' when the jobs ended differently
