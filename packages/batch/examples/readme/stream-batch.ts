import { appendFile } from 'node:fs/promises';
import { createCascadeAgent } from '@cascade/core';
import { createOpenAIChatModel } from '@cascade/core/openai';
import { streamBatch } from '@cascade/batch';

const agent = createCascadeAgent({ models: [createOpenAIChatModel({ modelId: 'gpt-4o-mini' }), createOpenAIChatModel({ modelId: 'gpt-4o' })] });
async function* readPromptsLazily(): AsyncIterable<string> {   // a file, a queue, a database cursor...
  for (let index = 0; index < 100_000; index++) yield `Summarize ticket ${index}`;
}

for await (const result of streamBatch(agent, readPromptsLazily(), { concurrency: 20 })) {
  await appendFile('results.jsonl', `${JSON.stringify({ id: result.id, status: result.status })}\n`);
}
