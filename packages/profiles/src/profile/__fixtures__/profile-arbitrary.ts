import fc from 'fast-check';
import type { UserProfileInput } from '../profile-schema';

const id = fc.stringMatching(/^[a-z0-9_][a-z0-9_.:@-]{0,30}$/);
const label = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,15}$/);
const usd = fc.double({ min: 0.001, max: 100_000, noNaN: true, noDefaultInfinity: true });
const count = fc.integer({ min: 1, max: 10_000_000 });
const unit = fc.double({ min: 0, max: 1, noNaN: true });
const models = fc.array(label, { maxLength: 4 });
const orNull = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: null });

const budgetOverrides = fc.record({ dailyUsd: orNull(usd), weeklyUsd: orNull(usd), monthlyUsd: orNull(usd), totalUsd: orNull(usd) }, { requiredKeys: [] });
const rateOverrides = fc.record({ requestsPerMinute: orNull(count), requestsPerHour: orNull(count), tokensPerMinute: orNull(count), burst: orNull(fc.integer({ min: 0, max: 100 })) }, { requiredKeys: [] });
const features = fc.record({ streaming: fc.boolean(), batch: fc.boolean(), qualityValidation: fc.boolean(), guardrails: fc.boolean() }, { requiredKeys: [] });
const sortedUnits = fc.tuple(unit, unit, unit).map(([a, b, c]) => [a, b, c].sort((x, y) => x - y) as [number, number, number]);
const fullQuality = sortedUnits.map(([min, target, max]) => ({ min, target, max }));
const quality = sortedUnits.chain(([min, target, max]) =>
  fc.record({ min: fc.constant(min), target: fc.constant(target), max: fc.constant(max) }, { requiredKeys: [] }),
);
const guardrails = fc.record(
  {
    pii: fc.record({ enabled: fc.boolean(), action: fc.constantFrom('redact', 'mask', 'hash', 'block', 'warn', 'allow' as const), entities: fc.array(label, { maxLength: 3 }) }, { requiredKeys: [] }),
    moderation: fc.record({ enabled: fc.boolean(), action: fc.constantFrom('block', 'warn' as const), threshold: unit }, { requiredKeys: [] }),
    injection: fc.record({ enabled: fc.boolean(), threshold: unit }, { requiredKeys: [] }),
    toxicity: fc.record({ enabled: fc.boolean(), action: fc.constantFrom('block', 'retry', 'warn' as const) }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);
const memberOverrides = fc.record(
  { budget: budgetOverrides, rateLimits: rateOverrides, features, quality, allowedModels: orNull(models), blockedModels: models, preferredModels: models, maxCostPerRequestUsd: orNull(usd) },
  { requiredKeys: [] },
);
const customTier = fc.record(
  {
    name: label,
    budget: fc.record({ dailyUsd: usd, monthlyUsd: usd }, { requiredKeys: [] }),
    rateLimits: fc.record({ requestsPerHour: count, tokensPerDay: count }, { requiredKeys: [] }),
    features,
    quality: fullQuality,
    allowedModels: models,
    supportPriority: fc.constantFrom('community', 'standard', 'priority', 'dedicated' as const),
  },
  { requiredKeys: ['name'] },
);
const json: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.parse(JSON.stringify(value)) as unknown);

/** Arbitrary valid profile input covering every dimension, built-in and custom tiers, nulls and overrides. */
export const profileInputArbitrary: fc.Arbitrary<UserProfileInput> = fc
  .record(
    {
      userId: id,
      roles: fc.array(label, { maxLength: 3 }),
      permissions: fc.array(label, { maxLength: 3 }),
      tier: fc.oneof(fc.constantFrom('free', 'starter', 'pro', 'business', 'enterprise' as const), customTier),
      limits: fc.record({ budget: budgetOverrides, rateLimits: rateOverrides, features, allowedModels: orNull(models) }, { requiredKeys: [] }),
      preferences: fc.record(
        {
          quality,
          costSensitivity: fc.constantFrom('aggressive', 'balanced', 'quality-first' as const),
          maxCostPerRequestUsd: orNull(usd),
          maxLatencyMs: count,
          maxRetries: fc.integer({ min: 0, max: 10 }),
          preferredDomains: fc.array(label, { maxLength: 3 }),
          preferredModels: models,
          blockedModels: models,
        },
        { requiredKeys: [] },
      ),
      governance: fc.record(
        { guardrails, auditLogging: fc.boolean(), auditLogLevel: fc.constantFrom('minimal', 'standard', 'comprehensive' as const), dataRetentionDays: fc.integer({ min: 0, max: 3650 }), complianceMode: fc.constantFrom('gdpr', 'hipaa' as const) },
        { requiredKeys: [] },
      ),
      organization: fc.record({ id: fc.constant('org_1'), name: label, sharedBudget: fc.record({ monthlyUsd: usd }, { requiredKeys: [] }), overrides: memberOverrides, guardrails, timeZone: fc.constantFrom('UTC', 'Europe/Berlin') }, { requiredKeys: ['id'] }),
      workspace: fc.record({ id: id, organizationId: fc.constant('org_1'), environment: fc.constantFrom('development', 'staging', 'production' as const), overrides: memberOverrides, guardrails }, { requiredKeys: ['id'] }),
      telemetry: fc.record({ metadata: fc.dictionary(label, json, { maxKeys: 3 }), tags: fc.array(label, { maxLength: 3 }) }, { requiredKeys: [] }),
      createdAt: fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((date) => date.toISOString()),
    },
    { requiredKeys: ['userId'] },
  )
  .map((input) => input as UserProfileInput);
