import OpenAI from 'openai';
import { createOpenAIBatchRunner } from '@cascade/batch/openai';

const runner = createOpenAIBatchRunner({ modelId: 'gpt-4o-mini' }, { client: new OpenAI() });
const job = await runner.submit([{ id: 'doc-1', input: 'Summarize: ...' }, 'Translate: hello']);
// Store job.batchId and job.ids; wait now or later, from any process:
const { results, summary } = await runner.wait(job, { abortSignal: AbortSignal.timeout(7 * 3600_000), maxWaitMs: 6 * 3600_000 });
console.log(results.length, summary.costUsd, summary.realtimeCostUsd, summary.savedUsd);
