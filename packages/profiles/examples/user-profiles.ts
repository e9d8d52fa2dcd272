// Run: npx tsx --conditions=source packages/profiles/examples/user-profiles.ts
import { isModelAllowed } from '@cascade/core';
import { TIER_PRESETS, UserProfile, createProfileManager, createProfileMiddleware, deriveTier } from '@cascade/profiles';
import { createSqliteProfileStore } from '@cascade/profiles/sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Simple: one line.
const simple = UserProfile.fromTier('pro', 'user_123');
console.log('simple:', simple.tier.name, simple.effectiveBudget(), 'batch?', simple.canUseFeature('batch'));

// Advanced: a tenant with a shared budget, a workspace override, and the user's own preferences.
const advanced = UserProfile.create({
  userId: 'user_456',
  tier: deriveTier(TIER_PRESETS.business, { name: 'business-eu', budget: { dailyUsd: 80 } }),
  organization: { id: 'acme', sharedBudget: { monthlyUsd: 5000 }, timeZone: 'Europe/Berlin', dataRegion: 'eu-west-1' },
  workspace: { id: 'acme-prod', environment: 'production', overrides: { blockedModels: ['gpt-4-turbo'] } },
  preferences: { quality: { target: 0.92 }, maxCostPerRequestUsd: 0.05 },
  governance: { guardrails: { pii: { action: 'block' } }, complianceMode: 'gdpr' },
});
console.log('advanced policy:', JSON.stringify(advanced.toPolicy(), null, 2));

// A manager on a SQLite file: unknown users get the FREE tier, tier changes are saved then cached.
const directory = mkdtempSync(join(tmpdir(), 'cascade-profiles-example-'));
const store = createSqliteProfileStore({ filename: join(directory, 'profiles.db') });
try {
  const manager = createProfileManager({ cacheTtlMs: 60_000, maxCacheSize: 10_000 }, { store });
  // FREE allows the agent's models by place (all but the strongest): give the agent's model ids, cheapest first.
  const agentModels = ['llama3.2:3b', 'gpt-4o-mini', 'gpt-4o'];
  const newcomer = await manager.get('newcomer');
  console.log('newcomer tier:', newcomer.tier.name, 'may use gpt-4o?', newcomer.canUseModel('gpt-4o', agentModels));
  const upgraded = await manager.updateTier('newcomer', 'pro');
  console.log('after upgrade:', upgraded.tier.name, 'may use gpt-4o?', upgraded.canUseModel('gpt-4o', agentModels));

  // The middleware gives the engine the principal and policy of the request's user.
  const profiles = createProfileMiddleware(manager);
  const resolved = await profiles.resolve!({
    requestId: 'req_1', mode: 'run', userId: 'someone_free', principal: undefined, policy: {},
    request: { messages: [{ role: 'user', content: 'Hello' }] }, estimate: { inputTokens: 2, maxOutputTokens: 256, costUsd: 0 },
    abortSignal: undefined, state: new Map(),
  });
  console.log('FREE user may reach gpt-4-1106-preview?', isModelAllowed(resolved?.policy, 'gpt-4-1106-preview'));
  console.log('manager stats:', manager.stats());
} finally {
  await store.close();
  rmSync(directory, { recursive: true, force: true });
}
