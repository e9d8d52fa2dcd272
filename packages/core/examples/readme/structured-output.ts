import { z } from 'zod';
import { createCascadeAgent } from '@cascade/core';
import { createOpenAIChatModel } from '@cascade/core/openai';

const agent = createCascadeAgent({ models: [createOpenAIChatModel({ modelId: 'gpt-4o-mini' }), createOpenAIChatModel({ modelId: 'gpt-4o' })] });

const invoice = z.object({ vendor: z.string(), totalUsd: z.number(), lines: z.array(z.object({ item: z.string(), usd: z.number() })) });

export async function readInvoice(text: string): Promise<number> {
  const { object, result } = await agent.generateObject(`Extract the invoice:\n${text}`, { schema: invoice, schemaName: 'invoice' });
  console.log(result.modelId, result.attempts.map((attempt) => attempt.status)); // e.g. ['repaired', 'accepted']
  return object.totalUsd; // typed: z.output<typeof invoice>
}
