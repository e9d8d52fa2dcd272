import type { ToolCall } from '../model/chat-message';
import type { ChatRequest } from '../model/chat-request';
import type { TokenUsage } from '../model/token-usage';
import type { AgentPolicy } from '../policy/agent-policy';
import type { Principal } from '../policy/principal';
import type { RequestReport } from './request-report';

/** Policy sections that need a middleware to take effect: `limits` and `guardrails`, each enforced by the middleware of the package of that name. */
export type EnforcedPolicySection = 'limits' | 'guardrails';

/** How a request entered the pipeline. */
export type PipelineMode = 'run' | 'stream' | 'batch';

/** Pre-flight estimate of a request, for reservations: prompt tokens + max output tokens, at the priciest tier that may run. */
export interface RequestEstimate {
  inputTokens: number;
  maxOutputTokens: number;
  /** Conservative cost: the estimate priced at every tier that may be called. */
  costUsd: number;
}

/** What every hook sees. Hooks may write `principal`/`policy` only through `resolve`. */
export interface PipelineContext {
  readonly requestId: string;
  readonly mode: PipelineMode;
  /** The caller's user id hint (e.g. from an API key); resolvers turn it into a principal. */
  readonly userId: string | undefined;
  readonly principal: Principal | undefined;
  readonly policy: AgentPolicy;
  readonly request: ChatRequest;
  readonly estimate: RequestEstimate;
  readonly abortSignal: AbortSignal | undefined;
  /** Scratch space for middleware to pass state between its own hooks (key by middleware name). */
  readonly state: Map<string, unknown>;
}

/** What a `resolve` hook returns: the principal and/or a policy patch (merged over the current policy). */
export interface ResolveResult {
  principal?: Principal;
  policy?: AgentPolicy;
}

/** What was actually consumed, given to each reservation exactly once. */
export interface SettleInfo {
  /** Total usage of every model call made for the request (including failed and rejected drafts). */
  usage: TokenUsage;
  /** Total cost in USD of every call made. */
  costUsd: number;
  /** How the request ended. */
  outcome: 'success' | 'error' | 'aborted';
  /** Each model call made, for per-model accounting. */
  calls?: readonly { modelId: string; usage: TokenUsage; costUsd: number }[];
  /**
   * USD spent beyond the reservation (`estimate.costUsd`), when the engine could not prevent it (a
   * provider that ignored `maxOutputTokens` on a non-streamed call). Absent when within the reservation.
   */
  overspendUsd?: number;
}

/** A hold on capacity taken by `admit`. The pipeline calls `settle` exactly once, on every path. */
export interface Reservation {
  settle(info: SettleInfo): Promise<void> | void;
}

/** An admission decision: denials are data; the pipeline turns them into `RATE_LIMITED`/`BUDGET_EXCEEDED` errors. */
export type AdmitResult =
  | { allowed: true; reservation?: Reservation; warnings?: readonly string[] }
  | { allowed: false; code: 'RATE_LIMITED' | 'BUDGET_EXCEEDED'; reason: string; retryAfterMs?: number; details?: Readonly<Record<string, unknown>> };

/** A thing a guard found. Never carries the raw matched value unless the guard was asked to. */
export interface GuardFinding {
  /** Which guard: `pii`, `moderation`, `injection`, or a custom name. */
  guard: string;
  /** Entity type or category, e.g. `EMAIL_ADDRESS`, `violence`, `instruction-override`. */
  type: string;
  action: 'redact' | 'mask' | 'hash' | 'block' | 'warn' | 'allow';
  start?: number;
  end?: number;
  score?: number;
  detail?: string;
}

/** Verdict of a guard on a value: pass it, replace it (redacted), or block the request. */
export type GuardVerdict<T> =
  | { action: 'allow'; findings?: readonly GuardFinding[] }
  | { action: 'modify'; value: T; findings: readonly GuardFinding[] }
  | { action: 'block'; reason: string; findings: readonly GuardFinding[] };

/** What a stream guard yields: text to pass on, or a guardrail event (redaction or stop). */
export type GuardedStreamPart =
  | { type: 'text'; text: string }
  | { type: 'guardrail'; action: 'redacted' | 'stopped' | 'warned'; findings: readonly GuardFinding[]; reason?: string };

/**
 * The hooks a satellite plugs into the request pipeline. All are optional; they run in array order
 * (settle in reverse). Expected denials are data (`AdmitResult`, `GuardVerdict`), not throws.
 */
export interface CascadeMiddleware {
  readonly name: string;
  /**
   * Policy sections this middleware enforces. A policy that sets `limits` or `guardrails` with no
   * middleware enforcing them is an error at agent construction and a warning on every result.
   */
  readonly enforces?: readonly EnforcedPolicySection[];
  /** Resolve who is asking and what they may do (profiles). */
  resolve?(context: PipelineContext): Promise<ResolveResult | undefined> | ResolveResult | undefined;
  /** Reserve capacity before any model call (limits). */
  admit?(context: PipelineContext): Promise<AdmitResult> | AdmitResult;
  /** Guard the request before any model sees it: pass, redact or block (guardrails). */
  guardInput?(context: PipelineContext, request: ChatRequest): Promise<GuardVerdict<ChatRequest>> | GuardVerdict<ChatRequest>;
  /**
   * Guard a tool call's JSON arguments before the tool runs (PII leaving through arguments): `modify`
   * replaces the arguments text, `block` keeps the tool from running (the model gets an error result).
   */
  guardToolArguments?(context: PipelineContext, call: ToolCall): Promise<GuardVerdict<string>> | GuardVerdict<string>;
  /**
   * Guard a tool's result before the model reads it (indirect prompt injection arrives here): `modify`
   * replaces it, `block` withholds it (the model gets a notice instead).
   */
  guardToolResult?(context: PipelineContext, call: ToolCall, content: string): Promise<GuardVerdict<string>> | GuardVerdict<string>;
  /** Guard a whole answer (non-streamed). */
  guardOutput?(context: PipelineContext, text: string): Promise<GuardVerdict<string>> | GuardVerdict<string>;
  /** Guard a stream of text deltas: yield text (possibly redacted) and guardrail events. */
  guardStream?(context: PipelineContext, deltas: AsyncIterable<string>): AsyncIterable<GuardedStreamPart>;
  /**
   * Called once when the request ends — success, error, abort or denial — with what happened
   * (telemetry, audit trails). Runs after the answer is settled; must not block: enqueue and return.
   * What it throws is ignored (it can never fail the request).
   */
  onEnd?(report: RequestReport): void;
}
