import { z } from 'zod';
import { type TierConfig, adoptTier, tierConfigSchema } from './tier-config';

/** Names of the five built-in tiers. */
export const tierNameSchema = z.enum(['free', 'starter', 'pro', 'business', 'enterprise']);
/** Name of a built-in tier. */
export type TierName = z.output<typeof tierNameSchema>;

/**
 * The design document's vendor list of cheap models (`gpt-3.5-turbo`, `llama-3.1-8b-instant`,
 * `claude-3-haiku`) plus today's equivalents in core's price table and the cheap model of the recorded
 * traces. No longer used by the FREE preset, which allows by place in the cascade
 * (`modelAccess: 'all-but-strongest'`) so self-hosted models work; for a vendor allow-list:
 * `deriveTier(TIER_PRESETS.free, { allowedModels: [...FREE_TIER_MODELS] })`.
 */
export const FREE_TIER_MODELS: readonly string[] = Object.freeze([
  'gpt-3.5-turbo',
  'llama-3.1-8b-instant',
  'claude-3-haiku',
  'claude-3-5-haiku',
  'gpt-4o-mini',
  'gpt-4.1-nano',
  'gpt-5-nano',
  'gemini-2.5-flash-lite',
  'mixtral-8x7b-instruct-v0.1',
]);

const preset = (input: z.input<typeof tierConfigSchema>): TierConfig => adoptTier(tierConfigSchema.parse(input));

/**
 * The five built-in tiers, deeply frozen. Numbers follow the v0.2.1 implementation plan (budgets
 * daily, requests per hour/day, tokens per minute, quality min/target, support); the design document
 * adds weekly/monthly budgets, quality max and FREE's model list (its `embeddings` and `domain routing`
 * flags were dropped: nothing implemented them).
 *
 * | tier | daily / weekly / monthly USD | req/h | req/day | tokens/min | quality min/target/max | streaming | batch | support |
 * |---|---|---|---|---|---|---|---|---|
 * | free | 0.10 / – / – | 10 | 100 | – | 0.60/0.70/0.80 | no | no | community |
 * | starter | 1 / 5 / – | 100 | 1,000 | – | 0.70/0.80/0.85 | yes | no | community |
 * | pro | 10 / 50 / 200 | 1,000 | 10,000 | 100,000 | 0.75/0.85/0.90 | yes | yes | priority |
 * | business | 50 / 250 / 1,000 | 5,000 | 50,000 | 500,000 | 0.80/0.90/0.95 | yes | yes | priority |
 * | enterprise | unlimited | – | – | – | 0.85/0.95/0.98 | yes | yes | dedicated |
 *
 * Quality shares kept by the learning cascade (`quality.share`, sent as `policy.qualityShare`): free 0.90,
 * starter 0.93, pro 0.95, business 0.97, enterprise 0.99; `target` is then only the validator's score
 * target for agents with learning off.
 *
 * Quality validation and guardrails are on in every tier. Only FREE restricts models: every model of
 * the agent but its strongest (`modelAccess: 'all-but-strongest'`; a one-model agent keeps its model),
 * whatever they are called — vendor or self-hosted.
 */
export const TIER_PRESETS: Readonly<Record<TierName, TierConfig>> = Object.freeze({
  free: preset({
    name: 'free',
    budget: { dailyUsd: 0.1 },
    rateLimits: { requestsPerHour: 10, requestsPerDay: 100 },
    features: { streaming: false, batch: false, qualityValidation: true, guardrails: true },
    quality: { min: 0.6, target: 0.7, max: 0.8, share: 0.9 },
    modelAccess: 'all-but-strongest',
    supportPriority: 'community',
  }),
  starter: preset({
    name: 'starter',
    budget: { dailyUsd: 1, weeklyUsd: 5 },
    rateLimits: { requestsPerHour: 100, requestsPerDay: 1000 },
    features: { streaming: true, batch: false, qualityValidation: true, guardrails: true },
    quality: { min: 0.7, target: 0.8, max: 0.85, share: 0.93 },
    supportPriority: 'community',
  }),
  pro: preset({
    name: 'pro',
    budget: { dailyUsd: 10, weeklyUsd: 50, monthlyUsd: 200 },
    rateLimits: { requestsPerHour: 1000, requestsPerDay: 10_000, tokensPerMinute: 100_000 },
    features: { streaming: true, batch: true, qualityValidation: true, guardrails: true },
    quality: { min: 0.75, target: 0.85, max: 0.9, share: 0.95 },
    supportPriority: 'priority',
  }),
  business: preset({
    name: 'business',
    budget: { dailyUsd: 50, weeklyUsd: 250, monthlyUsd: 1000 },
    rateLimits: { requestsPerHour: 5000, requestsPerDay: 50_000, tokensPerMinute: 500_000 },
    features: { streaming: true, batch: true, qualityValidation: true, guardrails: true },
    quality: { min: 0.8, target: 0.9, max: 0.95, share: 0.97 },
    supportPriority: 'priority',
  }),
  enterprise: preset({
    name: 'enterprise',
    features: { streaming: true, batch: true, qualityValidation: true, guardrails: true },
    quality: { min: 0.85, target: 0.95, max: 0.98, share: 0.99 },
    supportPriority: 'dedicated',
  }),
});

const presetNames = new Map<TierConfig, TierName>(
  (Object.keys(TIER_PRESETS) as TierName[]).map((name) => [TIER_PRESETS[name], name]),
);

/** The built-in tier name when `tier` is a preset object itself (not a copy or derivation), else undefined. */
export function presetNameOf(tier: TierConfig): TierName | undefined {
  return presetNames.get(tier);
}

/** True when `name` is a built-in tier name. */
export function isTierName(name: unknown): name is TierName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(TIER_PRESETS, name);
}
