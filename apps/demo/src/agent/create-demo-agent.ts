import { type CascadeAgent, type CascadeAgentConfig, type CascadeMiddleware, type ChatModel, type ChatRequest, createCascadeAgent } from '@cascade/core';
import { createGuardrailsMiddleware } from '@cascade/guardrails';
import { type LimitStore, createLimitsMiddleware } from '@cascade/limits';
import { type ProfileStore, type UserProfileManager, createProfileManager, createProfileMiddleware } from '@cascade/profiles';
import { DEMO_TIER_SHARES, createTierQualityShareMiddleware } from '../learning/tier-quality-share';
import { type UsageLedger, createMemoryUsageLedger } from '../users/usage-ledger';
import type { DemoModels } from './demo-models';
import { withRequestTap } from './with-request-tap';

/** The whole agent: models, and the pipeline of profiles → limits → guardrails → usage ledger. */
export interface DemoAgent {
  readonly agent: CascadeAgent;
  readonly profiles: UserProfileManager;
  /** Settled spend per user (for `/v1/usage`): in memory, or the demo database's ledger when given. */
  readonly usage: UsageLedger;
  /** Model ids, cheapest first. */
  readonly modelIds: readonly string[];
}

/** Options of {@link createDemoAgent}. */
export interface DemoAgentOptions {
  /** Where profiles live (the demo's SQLite file). */
  profileStore: ProfileStore;
  /** How long a profile is cached; short so `admin set-tier` reaches a running server quickly. @default 5000 */
  profileCacheTtlMs?: number;
  /** Sees every request a model receives (after guards). */
  onModelRequest?: (modelId: string, request: ChatRequest) => void;
  /** Where settled spend goes. @default an in-memory ledger (this process only) */
  usage?: UsageLedger;
  /**
   * Where rate-limit, token and budget counters live: the `@cascade/limits` memory store (this
   * process only) by default, or a Redis store shared by every server on it.
   */
  limits?: { store?: LimitStore; prefix?: string; onError?: (error: unknown) => void };
  /** Clock of limits and cost periods, for tests. @default Date.now */
  now?: () => number;
  /**
   * Draft the cheap model only when its measured acceptance at the user's quality target makes the
   * draft pay (core's `adaptiveRouting`). BUSINESS's 0.90 target rejects nearly every cheap draft,
   * so without it those users pay the draft on top of the strong model. @default true
   */
  adaptiveRouting?: CascadeAgentConfig['adaptiveRouting'];
  /**
   * The learning cascade's options (core's `learning`: store, seeded random, ...); on by default.
   * Tenants on a tier of `tierShares` are served by it at that share of the strongest tier's quality.
   */
  learning?: CascadeAgentConfig['learning'];
  /** @default DEMO_TIER_SHARES */
  tierShares?: Readonly<Record<string, number>>;
  /** Observers after the pipeline (telemetry, audit trail: `onEnd` hooks). @default none */
  observers?: readonly CascadeMiddleware[];
}

/**
 * Wires every package into one agent: `@cascade/profiles` resolves the user to a principal and
 * policy (tier, allowed models, quality target, limits, guardrails), `@cascade/limits` reserves
 * requests, tokens and budget (on `limits.store`), `@cascade/guardrails` blocks injections and
 * redacts PII before any model sees the prompt, and the usage ledger records each user's spend.
 */
export function createDemoAgent(models: DemoModels, options: DemoAgentOptions): DemoAgent {
  const now = options.now ?? Date.now;
  const profiles = createProfileManager(
    // Never persist an implicit default: a user deleted between authentication and this load must not come back as FREE.
    { cacheTtlMs: options.profileCacheTtlMs ?? 5_000, defaultTier: 'free', persistDefaults: false },
    { store: options.profileStore, now },
  );
  const usage = options.usage ?? createMemoryUsageLedger({ now });
  const limits = options.limits ?? {};
  const tap = options.onModelRequest;
  const tiers: ChatModel[] = tap ? models.models.map((model) => withRequestTap(model, tap)) : [...models.models];
  const agent = createCascadeAgent({
    models: tiers,
    pricing: models.pricing,
    adaptiveRouting: options.adaptiveRouting ?? true,
    ...(options.learning !== undefined ? { learning: options.learning } : {}),
    middleware: [
      createProfileMiddleware(profiles, { onMissingUser: 'error' }),
      createTierQualityShareMiddleware(options.tierShares ?? DEMO_TIER_SHARES),
      createLimitsMiddleware(limits.prefix ? { prefix: limits.prefix } : {}, { now, ...(limits.store ? { store: limits.store } : {}), ...(limits.onError ? { onError: limits.onError } : {}) }),
      createGuardrailsMiddleware({}),
      usage.middleware,
      ...(options.observers ?? []),
    ],
  });
  return { agent, profiles, usage, modelIds: models.models.map((model) => model.modelId) };
}
