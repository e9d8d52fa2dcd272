import { createCascadeAgent } from '@cascade/core';
import { createOpenAIChatModel } from '@cascade/core/openai';
import { createGuardrailsMiddleware } from '@cascade/guardrails';
import { createLimitsMiddleware } from '@cascade/limits';
import { createAuditTrail, createComplianceMiddleware, createMemoryAuditStore, createMemoryProfileStore, createProfileManager, createProfileMiddleware } from '@cascade/profiles';

const profiles = createProfileMiddleware(createProfileManager({}, { store: createMemoryProfileStore() }));
const trail = createAuditTrail({}, { store: createMemoryAuditStore() });
const compliance = createComplianceMiddleware({
  models: { 'llama-3.1-8b-local': { modes: ['hipaa', 'gdpr'] }, 'gpt-4o': { modes: ['gdpr'], regions: ['eu'] } },
  maxRetentionDays: { hipaa: 30, gdpr: 30 }, // the defaults
});
const models = [createOpenAIChatModel({ modelId: 'llama-3.1-8b-local', baseURL: 'http://127.0.0.1:11434/v1' }), createOpenAIChatModel({ modelId: 'gpt-4o' })];
const agent = createCascadeAgent({ models, middleware: [profiles, compliance, createLimitsMiddleware(), createGuardrailsMiddleware(), trail.middleware] });
console.log((await agent.run('Summarize the visit notes.', { userId: 'patient-portal-user' })).text);
