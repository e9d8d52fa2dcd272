import { createCascadeAgent } from '@cascade/core';
import { createOpenAIChatModel } from '@cascade/core/openai';
import { streamCascade } from '@cascade/stream';

const agent = createCascadeAgent({
  models: [createOpenAIChatModel({ modelId: 'gpt-4o-mini' }), createOpenAIChatModel({ modelId: 'gpt-4o' })],
});
const abortSignal = AbortSignal.timeout(30_000); // or your request's signal
let rendered = '';
const stream = streamCascade(agent, 'What is 17 * 23?', { streamMode: 'optimistic', abortSignal });
for await (const event of stream) {
  if (event.type === 'text-delta') rendered += event.text;           // render it
  if (event.type === 'switch' && event.discardText) rendered = '';   // a rejected draft was shown: clear it
}
const { modelId, costUsd, attempts } = await stream.result; // same shape as agent.run
console.log(rendered, modelId, costUsd, attempts.length);
