import { createCascadeAgent } from '@cascade/core';
import { createOpenAIChatModel } from '@cascade/core/openai';

const agent = createCascadeAgent({
  models: [createOpenAIChatModel({ modelId: 'gpt-4o-mini' }), createOpenAIChatModel({ modelId: 'gpt-4o' })],
});
const result = await agent.run('What is 17 * 23?');
console.log(result.text, result.modelId, result.costUsd, result.savings);
