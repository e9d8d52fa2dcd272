import { z } from 'zod';
import { createCascadeAgent, tool } from '@cascade/core';
import { createOpenAIChatModel } from '@cascade/core/openai';

const agent = createCascadeAgent({
  models: [createOpenAIChatModel({ modelId: 'gpt-4o-mini' }), createOpenAIChatModel({ modelId: 'gpt-4o' })],
  policy: { blockedTools: ['delete_account'], toolsByModel: { 'gpt-4o-mini': { blockedTools: ['send_email'] } } },
});

export async function weatherAgent(abortSignal?: AbortSignal): Promise<string> {
  const result = await agent.run('Is it warmer in Paris or in Rome right now?', {
    maxSteps: 4,
    abortSignal,
    tools: {
      get_weather: tool({
        description: 'Current temperature of a city in °C',
        parameters: z.object({ city: z.string() }),
        execute: async ({ city }, { abortSignal: signal }) => {
          const response = await fetch(`https://weather.example.com/${encodeURIComponent(city)}`, { signal });
          return (await response.json()) as { celsius: number };
        },
      }),
    },
  });
  for (const step of result.steps ?? []) console.log(step.index, step.modelId, step.toolCalls.length, step.costUsd);
  return result.text;
}
