import { SingleBar, Presets } from 'cli-progress';
import { createCascadeAgent } from '@cascade/core';
import { createOpenAIChatModel } from '@cascade/core/openai';
import { runBatch } from '@cascade/batch';

const agent = createCascadeAgent({ models: [createOpenAIChatModel({ modelId: 'gpt-4o-mini' }), createOpenAIChatModel({ modelId: 'gpt-4o' })] });
const items = ['What is 17 * 23?', 'Name three prime numbers.', 'Translate "hello" to French.'];

const bar = new SingleBar({ format: '{bar} {value}/{total} | {inFlight} running | ${cost}' }, Presets.shades_classic);
bar.start(items.length, 0, { inFlight: 0, cost: '0.0000' });
const report = await runBatch(agent, items, {
  concurrency: 16,
  onProgress: (p) => bar.update(p.completed, { inFlight: p.inFlight, cost: p.costUsd.toFixed(4) }),
});
bar.stop();
console.log(report.summary.ok, 'answered');
