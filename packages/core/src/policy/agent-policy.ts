import { z } from 'zod';
import { timeoutMsSchema } from '../util/timeout-ms';
import { compliancePolicySchema } from './compliance';

/** Feature flags a policy can switch off. Absent means allowed. */
export const featureFlagSchema = z.enum(['streaming', 'batch', 'embeddings', 'qualityValidation', 'domainRouting', 'guardrails']);
export type FeatureFlag = z.output<typeof featureFlagSchema>;

const positive = z.number().positive();
const positiveInt = z.number().int().positive();

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
    })
    .optional(),
  /** Where guards run. @default all three */
  applyTo: z.strictObject({ input: z.boolean(), output: z.boolean(), stream: z.boolean() }).partial().optional(),
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
  features: z.partialRecord(featureFlagSchema, z.boolean()).optional(),
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

/** True when the policy lets the engine call `modelId`. */
export function isModelAllowed(policy: AgentPolicy | undefined, modelId: string): boolean {
  if (!policy) return true;
  if (policy.blockedModels?.includes(modelId)) return false;
  if (policy.allowedModels && !policy.allowedModels.includes(modelId)) return false;
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
