import type { CascadeError } from '../errors/cascade-error';
import type { ChatMessage, ToolCall } from '../model/chat-message';
import type { FinishReason } from '../model/chat-result';
import type { CascadeStep } from '../tools/cascade-step';
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
 * - `repaired`: a draft that failed the request's output schema; the same tier was asked once to fix it.
 */
export type AttemptStatus = 'accepted' | 'escalated' | 'final' | 'fallback' | 'failed' | 'abandoned' | 'repaired';

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
  /** Why it was accepted, escalated or failed, for people (a failed call also says whether it was retried). */
  reason: string;
  error?: CascadeError;
  /** Retries of this tier before this call, after transient errors (absent on a tier's first call; see `policy.retry`). */
  retry?: number;
  /** Drafts sampled for sampled agreement (`learning.signals.agreement`); `usage` and `costUsd` cover them all. */
  samples?: number;
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
  /** The tools the answer calls (the request's tools without `execute`, or the last step when `maxSteps` ran out). */
  toolCalls?: readonly ToolCall[];
  /** Every call made, in order (all steps of a tool loop). */
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
  /** The steps of a tool loop (`run` with `tools`), each one cascade with its attempts, usage, cost and tool results. */
  steps?: readonly CascadeStep[];
  /** The conversation after a tool loop: the input messages, each assistant turn and each tool result. Continue from it. */
  messages?: readonly ChatMessage[];
  /** Why the learning cascade decided as it did (absent when learning is off or `qualityTarget` overrides it). */
  learning?: LearningDecision;
}
