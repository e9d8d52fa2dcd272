import { z } from 'zod';
import { retryPolicySchema } from './retry-policy';
import { timeoutMsSchema } from '../util/timeout-ms';
import { compliancePolicySchema } from './compliance';

/**
 * Feature flags a policy can switch off. Absent means allowed. `streaming` is read by the profiles
 * middleware (stream requests), `batch` by the pipeline, `qualityValidation` by the engine, `guardrails`
 * by the guardrails middleware.
 */
export const featureFlagSchema = z.enum(['streaming', 'batch', 'qualityValidation', 'guardrails']);
export type FeatureFlag = z.output<typeof featureFlagSchema>;

/**
 * Flags that no code ever read, still accepted where features are parsed (policies, tiers, stored
 * profiles) so stored data keeps loading, and dropped from the result.
 * @deprecated `embeddings` and `domainRouting` did nothing; they are ignored now and rejected from the next minor version.
 */
export const deprecatedFeatureFlagSchema = z.enum(['embeddings', 'domainRouting']);
export type DeprecatedFeatureFlag = z.output<typeof deprecatedFeatureFlagSchema>;

/** `features` without the deprecated flags (see {@link deprecatedFeatureFlagSchema}). */
export function dropDeprecatedFeatureFlags<Features extends object>(features: Features): Omit<Features, DeprecatedFeatureFlag> {
  const kept = { ...features } as Record<string, unknown>;
  for (const flag of deprecatedFeatureFlagSchema.options) delete kept[flag];
  return kept as Omit<Features, DeprecatedFeatureFlag>;
}

/** A policy's `features`: known flags, plus the deprecated ones accepted and dropped. */
export const policyFeaturesSchema = z
  .partialRecord(z.union([featureFlagSchema, deprecatedFeatureFlagSchema]), z.boolean())
  .transform((features) => dropDeprecatedFeatureFlags(features) as Partial<Record<FeatureFlag, boolean>>);

const positive = z.number().positive();
const positiveInt = z.number().int().positive();

/** Which of the agent's models a policy may use, by place in the cascade (see `AgentPolicy.modelAccess`). */
export const modelAccessSchema = z.enum(['all', 'all-but-strongest', 'cheapest']);
/** Which of the agent's models a policy may use, by place in the cascade. */
export type ModelAccess = z.output<typeof modelAccessSchema>;

const ACCESS_RANK: Readonly<Record<ModelAccess, number>> = { all: 0, 'all-but-strongest': 1, cheapest: 2 };

/** True when `access` lets the engine call the model at `index` of an agent with `count` models (cheapest first). */
export function modelAccessAllows(access: ModelAccess | undefined, index: number, count: number): boolean {
  if (access === 'cheapest') return index === 0;
  // A one-model agent's only model is also its cheapest: a FREE tier can still use it.
  if (access === 'all-but-strongest') return count === 1 || index < count - 1;
  return true;
}

/** The narrower of two `modelAccess` values (policy layers only narrow). */
export function narrowerModelAccess(left: ModelAccess | undefined, right: ModelAccess | undefined): ModelAccess | undefined {
  if (left === undefined) return right;
  if (right === undefined) return left;
  return ACCESS_RANK[right] > ACCESS_RANK[left] ? right : left;
}

/** Rate limits of one key (user, organization or workspace). Absent means unlimited. */
export const rateLimitPolicySchema = z.strictObject({
  requestsPerSecond: positiveInt.optional(),
  requestsPerMinute: positiveInt.optional(),
  requestsPerHour: positiveInt.optional(),
  requestsPerDay: positiveInt.optional(),
  tokensPerMinute: positiveInt.optional(),
  tokensPerHour: positiveInt.optional(),
  tokensPerDay: positiveInt.optional(),
  /** Extra requests allowed above the per-second/minute rate in a burst. */
  burst: z.number().int().nonnegative().optional(),
  /** Maximum requests in flight at once. */
  maxConcurrent: positiveInt.optional(),
});
export type RateLimitPolicy = z.output<typeof rateLimitPolicySchema>;

/** Spending caps in USD, calendar-aligned in `timeZone`. Absent means unlimited. */
export const budgetPolicySchema = z.strictObject({
  dailyUsd: positive.optional(),
  weeklyUsd: positive.optional(),
  monthlyUsd: positive.optional(),
  totalUsd: positive.optional(),
});
export type BudgetPolicy = z.output<typeof budgetPolicySchema>;

/** Limits and budgets for the request's user, and the shared ones of its organization and workspace. */
export const limitsPolicySchema = z.strictObject({
  user: z.strictObject({ rate: rateLimitPolicySchema.optional(), budget: budgetPolicySchema.optional() }).optional(),
  organization: z.strictObject({ rate: rateLimitPolicySchema.optional(), budget: budgetPolicySchema.optional() }).optional(),
  workspace: z.strictObject({ rate: rateLimitPolicySchema.optional(), budget: budgetPolicySchema.optional() }).optional(),
  /** IANA time zone for calendar periods (daily/weekly/monthly budgets). @default 'UTC' */
  timeZone: z.string().optional(),
  /** `block` denies over-limit requests; `warn` lets them through and reports. @default 'block' */
  enforcement: z.enum(['block', 'warn']).optional(),
  /** @deprecated Use `enforcement` (same values; as in `createCostTracker`). Accepted until the next minor version. */
  mode: z.enum(['block', 'warn']).optional(),
}).transform(({ mode, ...limits }, context) => {
  // Issue 14: `mode` named three things; limits say `enforcement`, like the cost tracker.
  if (mode === undefined) return limits;
  if (limits.enforcement !== undefined && limits.enforcement !== mode) {
    context.addIssue({ code: 'custom', path: ['mode'], message: 'limits.mode is the deprecated name of limits.enforcement: set only enforcement' });
  }
  return { ...limits, enforcement: limits.enforcement ?? mode };
});
export type LimitsPolicy = z.output<typeof limitsPolicySchema>;

/** What a guard does with a finding. */
export const guardActionSchema = z.enum(['redact', 'mask', 'hash', 'block', 'warn', 'allow']);
export type GuardAction = z.output<typeof guardActionSchema>;

/** Guardrails configuration carried by a policy (set from a profile's governance dimension). */
export const guardrailsPolicySchema = z.strictObject({
  pii: z
    .strictObject({
      enabled: z.boolean(),
      /** Default action for every entity type. @default 'redact' */
      action: guardActionSchema.optional(),
      /** Per-entity-type actions, e.g. `{ CREDIT_CARD: 'block', EMAIL_ADDRESS: 'mask' }`. */
      actions: z.record(z.string(), guardActionSchema).optional(),
      /** Entity types to detect; absent means all supported. */
      entities: z.array(z.string()).optional(),
    })
    .optional(),
  moderation: z
    .strictObject({
      enabled: z.boolean(),
      action: z.enum(['block', 'warn']).optional(),
      categories: z.array(z.string()).optional(),
      threshold: z.number().min(0).max(1).optional(),
    })
    .optional(),
  injection: z
    .strictObject({
      enabled: z.boolean(),
      action: z.enum(['block', 'warn']).optional(),
      threshold: z.number().min(0).max(1).optional(),
      /**
       * An injection found in a tool result (indirect injection): `block` withholds the result (the model
       * reads a notice), `mark` passes it wrapped as untrusted data, `warn` passes it with a finding.
       * @default follows `action` (`block` → `block`, `warn` → `warn`)
       */
      toolResults: z.enum(['block', 'mark', 'warn']).optional(),
    })
    .optional(),
  /** Where guards run: input, whole answers, streams, tool-call arguments, tool results. @default all */
  applyTo: z.strictObject({ input: z.boolean(), output: z.boolean(), stream: z.boolean(), toolArguments: z.boolean(), toolResults: z.boolean() }).partial().optional(),
});
export type GuardrailsPolicy = z.output<typeof guardrailsPolicySchema>;

/**
 * What a principal may do. Produced by a resolver (e.g. from a user profile), enforced by the engine
 * (models, quality, cost) and by satellites (limits, guardrails).
 */
export const agentPolicySchema = z.strictObject({
  /** Only these model ids may be called. Absent means every configured model. */
  allowedModels: z.array(z.string()).readonly().optional(),
  /** These model ids are never called. Wins over `allowedModels`. */
  blockedModels: z.array(z.string()).readonly().optional(),
  /**
   * Which of the agent's own models may be called, by their place in its cascade rather than by id —
   * so a tier works with any models, self-hosted ones too: `cheapest` (the first), `all-but-strongest`
   * (every model but the last; the only model of a one-model agent), `all`. Applies on top of
   * `allowedModels`/`blockedModels`; layers only narrow it. @default 'all'
   */
  modelAccess: modelAccessSchema.optional(),
  /** Only these tools may be called (by name). Absent means every tool of the request. */
  allowedTools: z.array(z.string()).readonly().optional(),
  /** These tools are never offered to a model nor executed. Wins over `allowedTools`. */
  blockedTools: z.array(z.string()).readonly().optional(),
  /**
   * Tool rules per model id (cascade tier), on top of the ones above: e.g. keep `send_email` away from
   * the cheap drafter. A drafted call to a tool its model may not call is rejected and escalated.
   */
  toolsByModel: z.record(z.string(), z.strictObject({ allowedTools: z.array(z.string()).readonly().optional(), blockedTools: z.array(z.string()).readonly().optional() })).optional(),
  /** Tried first among the allowed tiers, in this order, when they are configured tiers. */
  preferredModels: z.array(z.string()).readonly().optional(),
  /**
   * Share of the strongest tier's quality to keep, 0..1: the learning cascade accepts, escalates or
   * routes so that its estimated share (with a confidence bound) stays at or above it. @default 0.95
   */
  qualityShare: z.number().min(0).max(1).optional(),
  /**
   * Expert override: a fixed validator-score threshold, 0..1. When set, drafts pass on the
   * validator's score alone (the behaviour before learning) and the learner does not decide.
   */
  qualityTarget: z.number().min(0).max(1).optional(),
  /** Lowest acceptable quality; the engine never accepts below it even from the last tier's draft. */
  qualityMin: z.number().min(0).max(1).optional(),
  /** Requests whose pre-flight estimate exceeds this are refused (`BUDGET_EXCEEDED`); tiers that would cross it are skipped. */
  maxCostPerRequestUsd: z.number().positive().optional(),
  /** Per-call time limit for each model attempt, in ms. */
  attemptTimeoutMs: timeoutMsSchema.optional(),
  /** Retries of the same tier after a transient provider error, before falling through. @default { maxAttempts: 2, baseDelayMs: 250, maxDelayMs: 2000 } */
  retry: retryPolicySchema.optional(),
  features: policyFeaturesSchema.optional(),
  limits: limitsPolicySchema.optional(),
  guardrails: guardrailsPolicySchema.optional(),
  /** Default streaming mode of streamed requests. */
  streamMode: z.enum(['optimistic', 'buffered', 'early-escalation']).optional(),
  /** A compliance regime (HIPAA, GDPR, ...): only its compliant models, forced PII redaction, capped retention. */
  compliance: compliancePolicySchema.optional(),
});

/** What a principal may do (see {@link agentPolicySchema}). */
export type AgentPolicy = z.output<typeof agentPolicySchema>;
/** Validator threshold when `qualityTarget` is set by nobody (used without learning). */
export const DEFAULT_QUALITY_TARGET = 0.7;

/** True unless the policy switches the feature off. */
export function isFeatureEnabled(policy: AgentPolicy | undefined, feature: FeatureFlag): boolean {
  return policy?.features?.[feature] !== false;
}

/**
 * True when the policy lets the engine call `modelId`. Give the agent's models (ids, cheapest first) to
 * check `modelAccess` too: without them only the id lists are checked.
 */
export function isModelAllowed(policy: AgentPolicy | undefined, modelId: string, agentModels?: readonly string[]): boolean {
  if (!policy) return true;
  if (policy.blockedModels?.includes(modelId)) return false;
  if (policy.allowedModels && !policy.allowedModels.includes(modelId)) return false;
  if (agentModels && policy.modelAccess && policy.modelAccess !== 'all') {
    const index = agentModels.indexOf(modelId);
    if (index < 0 || !modelAccessAllows(policy.modelAccess, index, agentModels.length)) return false;
  }
  return true;
}

/** True when the policy lets `modelId` (or, without it, any model) call the tool `name`. */
export function isToolAllowed(policy: AgentPolicy | undefined, name: string, modelId?: string): boolean {
  if (!policy) return true;
  if (policy.blockedTools?.includes(name)) return false;
  if (policy.allowedTools && !policy.allowedTools.includes(name)) return false;
  const byModel = modelId !== undefined ? policy.toolsByModel?.[modelId] : undefined;
  if (byModel?.blockedTools?.includes(name)) return false;
  if (byModel?.allowedTools && !byModel.allowedTools.includes(name)) return false;
  return true;
}
