import { createCascadeAgent } from '@cascade/core';
import { createOpenAIChatModel } from '@cascade/core/openai';
import { createLimitsMiddleware, createMemoryStore } from '@cascade/limits';

const agent = createCascadeAgent({
  models: [createOpenAIChatModel({ modelId: 'gpt-4o-mini' }), createOpenAIChatModel({ modelId: 'gpt-4o' })],
  middleware: [createLimitsMiddleware({}, { store: createMemoryStore() })],
  policy: {
    limits: {
      user: { rate: { requestsPerMinute: 20, tokensPerMinute: 40_000, maxConcurrent: 2 }, budget: { dailyUsd: 1 } },
      organization: { rate: { requestsPerSecond: 50 }, budget: { monthlyUsd: 500 } },
      workspace: { budget: { weeklyUsd: 100 } },
      timeZone: 'Europe/Berlin', // calendar periods of the budgets; default UTC
      enforcement: 'block',      // 'warn' lets over-limit requests through and reports them
    },
  },
});
const result = await agent.run('What is 17 * 23?', { principal: { userId: 'user_123', organizationId: 'acme', workspaceId: 'support' } });
console.log(result.text, result.costUsd);
