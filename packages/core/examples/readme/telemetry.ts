import { createCascadeAgent, type CascadeMiddleware } from '@cascade/core';
import { createOpenAIChatModel } from '@cascade/core/openai';
import { createTelemetryMiddleware } from '@cascade/core/otel';

const yours: CascadeMiddleware[] = []; // profiles, limits, guardrails, ...
const agent = createCascadeAgent({
  models: [createOpenAIChatModel({ modelId: 'gpt-4o-mini' }), createOpenAIChatModel({ modelId: 'gpt-4o' })],
  middleware: [...yours, createTelemetryMiddleware({ recordContent: false, recordPrincipal: 'plan' })],
});
console.log((await agent.run('What is 17 * 23?')).text);
