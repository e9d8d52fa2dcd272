import { createCascadeAgent, tool } from '@cascade/core';
import { MockChatModel } from '@cascade/core/test';
import { z } from 'zod';
import { createGuardrailsMiddleware } from '@cascade/guardrails';

const guardrails = createGuardrailsMiddleware({ pii: { actions: { CREDIT_CARD: 'block' } }, injection: { toolResults: 'mark' } });
const model = new MockChatModel({ modelId: 'gpt-4o', responses: [{ toolCalls: [{ name: 'search', arguments: '{"q":"card 4111 1111 1111 1111"}' }] }, { text: 'done' }] });
const agent = createCascadeAgent({ models: [model], middleware: [guardrails], learning: false });

export async function findOrder(): Promise<string | undefined> {
  const result = await agent.run('Find my order', {
    maxSteps: 3,
    tools: { search: tool({ parameters: z.object({ q: z.string() }), execute: ({ q }) => `results for ${q}` }) },
  });
  return result.steps?.[0]?.toolResults[0]?.error; // 'The call was blocked by a guardrail (guardrails: The arguments of search contain CREDIT_CARD, …)'
}
