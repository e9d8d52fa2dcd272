import type { CascadeError } from '../errors/cascade-error';
import type { FinishReason } from '../model/chat-result';
import type { TokenUsage } from '../model/token-usage';
import type { GuardFinding } from '../pipeline/middleware';
import type { Principal } from '../policy/principal';
import type { ComplexityVerdict, QualityVerdict } from '../quality/quality-validator';
import type { LearningDecision } from '../learning/learning-types';
import type { AdaptiveRoutingDecision } from './adaptive-routing';

/**
 * How one model attempt ended.
 * - `accepted`: a draft that passed validation and was returned.
 * - `escalated`: a draft that failed validation; a stronger tier was tried.
 * - `final`: the last tier's answer, returned without a further check.
 * - `fallback`: a rejected draft returned because every stronger tier failed.
 * - `failed`: the call errored or timed out; the next tier was tried.
 * - `abandoned`: a streamed draft cancelled mid-way by early escalation.
 */
export type AttemptStatus = 'accepted' | 'escalated' | 'final' | 'fallback' | 'failed' | 'abandoned';

/** One model call made for a request. */
export interface CascadeAttempt {
  modelId: string;
  provider: string;
  /** Index in the agent's configured models (0 = cheapest). */
  tier: number;
  status: AttemptStatus;
  usage: TokenUsage;
  costUsd: number;
  latencyMs: number;
  /** The validator's verdict, when the draft was validated. */
  quality?: QualityVerdict;
  /** Why it was accepted, escalated or failed, for people. */
  reason: string;
  error?: CascadeError;
}

/** How the engine chose where to start. */
export interface CascadeRouting {
  /** Tier index the cascade started at. */
  startTier: number;
  /** Models the policy removed (not allowed, blocked, or over the per-request cost cap). */
  skippedModels: readonly string[];
  /** The validator's pre-flight judgement, when complexity routing ran. */
  complexity?: ComplexityVerdict;
  /** Drafters skipped (or drafted to explore) by adaptive routing, when it is on and ran. */
  adaptive?: AdaptiveRoutingDecision;
}

/** The result of one request through the cascade. */
export interface CascadeResult {
  requestId: string;
  text: string;
  /** The model whose answer was returned. */
  modelId: string;
  provider: string;
  tier: number;
  finishReason: FinishReason;
  /** Every call made, in order. */
  attempts: readonly CascadeAttempt[];
  /** Usage of every call made. */
  usage: TokenUsage;
  /** Cost of every call made, USD. */
  costUsd: number;
  /** What answering with the strongest allowed tier alone would have cost (same prompt, same answer length). */
  baselineCostUsd: number;
  /** `1 - costUsd / baselineCostUsd`: negative when escalation cost more than the strong model alone. */
  savings: number;
  latencyMs: number;
  /** True when at least one draft was rejected. */
  escalated: boolean;
  routing: CascadeRouting;
  principal?: Principal;
  /** What input and output guards found. */
  guardrails: readonly GuardFinding[];
  warnings: readonly string[];
  /** Why the learning cascade decided as it did (absent when learning is off or `qualityTarget` overrides it). */
  learning?: LearningDecision;
}
