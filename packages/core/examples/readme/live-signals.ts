import { createCascadeAgent } from '@cascade/core';
import { createOpenAIChatModel } from '@cascade/core/openai';

const agent = createCascadeAgent({
  models: [createOpenAIChatModel({ modelId: 'gpt-4o-mini' }), createOpenAIChatModel({ modelId: 'gpt-4o' })],
  // Token logprobs (no token charge at OpenAI) and 3 sampled drafts (one call with n = 3: output billed 3 times).
  learning: { signals: { logprobs: true, agreement: { samples: 3 } } },
});

export async function answer(question: string): Promise<string> {
  const result = await agent.run(question, { userId: 'user_123' });
  // e.g. 0.97 { used: ['validator', 'logprobs', 'agreement'], meanTokenProbability: 0.93, agreement: { agreeing: 3, samples: 3, undecidable: false } }
  console.log(result.learning?.probability, result.learning?.signals);
  console.log(result.attempts[0]?.samples, result.costUsd); // 3: every sample is in the attempt's usage and in costUsd
  for (const drafter of agent.stats().drafters) console.log(drafter.modelId, drafter.signals.inUse, drafter.signals.probability.agreement);
  return result.text;
}
