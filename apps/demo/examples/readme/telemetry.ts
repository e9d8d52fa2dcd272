import { createCascadeAgent } from '@cascade/core';
import { createOpenAIChatModel } from '@cascade/core/openai';
import { createTelemetryMiddleware } from '@cascade/core/otel';
import { createGuardrailsMiddleware } from '@cascade/guardrails';
import { createLimitsMiddleware } from '@cascade/limits';
import { createMemoryProfileStore, createProfileManager, createProfileMiddleware } from '@cascade/profiles';

const profiles = createProfileMiddleware(createProfileManager({}, { store: createMemoryProfileStore() }));
const agent = createCascadeAgent({
  models: [createOpenAIChatModel({ modelId: 'gpt-4o-mini' }), createOpenAIChatModel({ modelId: 'gpt-4o' })],
  middleware: [profiles, createLimitsMiddleware(), createGuardrailsMiddleware(), createTelemetryMiddleware()],
});
console.log((await agent.run('What is 17 * 23?', { userId: 'user_123' })).text);
