import { createCascadeAgent } from '@cascade/core';
import { createOpenAIChatModel } from '@cascade/core/openai';
import { z } from 'zod';
import { streamObject } from '@cascade/stream';

const agent = createCascadeAgent({ models: [createOpenAIChatModel({ modelId: 'gpt-4o-mini' }), createOpenAIChatModel({ modelId: 'gpt-4o' })] });

const invoice = z.object({ vendor: z.string(), totalUsd: z.number(), lines: z.array(z.object({ item: z.string(), usd: z.number() })) });

export async function streamInvoice(text: string, render: (partial: { vendor?: string; lines?: { item?: string }[] }) => void): Promise<number> {
  const stream = streamObject(agent, `Extract the invoice:\n${text}`, { schema: invoice, schemaName: 'invoice' });
  for await (const partial of stream.partialObjectStream) render(partial); // snapshots; drafts under judgement are held
  const object = await stream.object; // validated by the schema, typed: z.output<typeof invoice>
  return object.totalUsd;
}
