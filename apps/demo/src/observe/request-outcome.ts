import type { CascadeResult } from '@cascade/core';

/** What the server learned about one answered request, as the metrics and the dashboard count it. */
export interface AnsweredRequest {
  userId: string;
  /** The tenant's subscription tier (`free`, `pro`, …), `unknown` without a principal. */
  tier: string;
  /** Model that answered. */
  modelId: string;
  costUsd: number;
  baselineCostUsd: number;
  /** `accept`: a draft answered; `escalate`: a draft was rejected; `route`: sent past the drafter. */
  decision: 'accept' | 'escalate' | 'route';
  /** The drafter's live estimate of the quality share kept, when the learning cascade decided. */
  estimatedShare?: number;
  /** The share it was asked to keep. */
  targetShare?: number;
  inputTokens: number;
  outputTokens: number;
  /** Guardrail findings by `guard:type` (never the matched text). */
  findings: readonly string[];
}

/** The counted view of a cascade result. */
export function toAnsweredRequest(userId: string, result: CascadeResult): AnsweredRequest {
  const learned = result.learning?.decision;
  const decision = learned === 'accept' || learned === 'escalate' ? learned : learned === 'route' || learned === 'explore' ? 'route' : result.escalated ? 'escalate' : result.attempts.length > 0 && result.tier === 0 ? 'accept' : 'route';
  return {
    userId,
    tier: result.principal?.tier ?? 'unknown',
    modelId: result.modelId,
    costUsd: result.costUsd,
    baselineCostUsd: result.baselineCostUsd,
    decision,
    ...(result.learning ? { estimatedShare: result.learning.estimatedShare, targetShare: result.learning.target } : {}),
    inputTokens: result.usage.inputTokens,
    outputTokens: result.usage.outputTokens,
    findings: result.guardrails.map((finding) => `${finding.guard}:${finding.type}`),
  };
}

/** Error codes that are a refusal by policy (limits, budget, guardrails, tier), not a failure. */
export const DENIAL_CODES: ReadonlySet<string> = new Set([
  'RATE_LIMITED', 'BUDGET_EXCEEDED', 'GUARDRAIL_BLOCKED', 'MODEL_NOT_ALLOWED', 'FEATURE_NOT_ALLOWED', 'parse_budget_exceeded', 'too_many_failed_authentications',
]);
