import { createCascadeAgent, tool } from '@cascade/core';
import { createOpenAIChatModel } from '@cascade/core/openai';
import { z } from 'zod';
import { streamCascade } from '@cascade/stream';

const agent = createCascadeAgent({ models: [createOpenAIChatModel({ modelId: 'gpt-4o-mini' }), createOpenAIChatModel({ modelId: 'gpt-4o' })] });

export async function streamWeather(write: (text: string) => void): Promise<number> {
  const stream = streamCascade(agent, 'Is it warmer in Paris or in Rome?', {
    maxSteps: 4,
    tools: { get_weather: tool({ parameters: z.object({ city: z.string() }), execute: ({ city }) => ({ city, celsius: city === 'Rome' ? 24 : 19 }) }) },
  });
  for await (const event of stream) {
    if (event.type === 'text-delta') write(event.text);
    if (event.type === 'tool-call-end') write(`\n→ ${event.toolCall.function.name}(${event.toolCall.function.arguments})\n`);
    if (event.type === 'tool-result') write(`← ${event.content}\n`);
  }
  return (await stream.result).steps?.length ?? 1; // every step with its attempts, usage and cost
}
