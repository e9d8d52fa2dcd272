import { createCascadeAgent } from '@cascade/core';
import { createOpenAIChatModel } from '@cascade/core/openai';

const local = createOpenAIChatModel({ modelId: 'llama3.2:3b', baseURL: 'http://localhost:11434/v1', apiKey: 'ollama' });
export const agent = createCascadeAgent({
  models: [local, createOpenAIChatModel({ modelId: 'gpt-4o' })],
  prices: { 'llama3.2:3b': { inputUsdPerMTok: 0, outputUsdPerMTok: 0 } }, // or your cost per 1M tokens
});
