import { createCascadeAgent } from '@cascade/core';
import { createOpenAIChatModel } from '@cascade/core/openai';
import { createProfileManager, createProfileMiddleware, derivePlan, PLAN_PRESETS, UserProfile } from '@cascade/profiles';
import { createPostgresProfileStore } from '@cascade/profiles/postgres';

const manager = createProfileManager({ cacheTtlMs: 60_000, defaultPlan: 'free' }, { store: createPostgresProfileStore({ connectionString: process.env.DATABASE_URL }) });
await manager.save(UserProfile.create({
  userId: 'user_456', tier: derivePlan(PLAN_PRESETS.business, { name: 'business-eu', budget: { dailyUsd: 80 } }),
  organization: { id: 'acme', sharedBudget: { monthlyUsd: 5000 }, timeZone: 'Europe/Berlin' },
  preferences: { quality: { target: 0.92 }, maxCostPerRequestUsd: 0.05 }, governance: { guardrails: { pii: { action: 'block' } } },
}));
const models = [createOpenAIChatModel({ modelId: 'gpt-4o-mini' }), createOpenAIChatModel({ modelId: 'gpt-4o' })];
// Put the limits and guardrails middleware (@cascade/limits, @cascade/guardrails) after the profiles one:
// they enforce the policy.limits and policy.guardrails the profile sets.
const agent = createCascadeAgent({ models, middleware: [createProfileMiddleware(manager)] });
console.log((await agent.run('What is 17 * 23?', { userId: 'user_456' })).text);
