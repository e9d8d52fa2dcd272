import type { CascadeError } from '../errors/cascade-error';
import type { CascadeAttempt, CascadeRouting } from '../engine/cascade-result';
import type { FinishReason } from '../model/chat-result';
import type { TokenUsage } from '../model/token-usage';
import type { GuardFinding, PipelineContext } from './middleware';

/** How a request ended, as reported to `onEnd` hooks. `denied`: refused by admission (limits, budget) or a guard. */
export type RequestOutcome = 'success' | 'error' | 'aborted' | 'denied';

/** One admission decision (limits, budgets), as data: never raw request content. */
export interface AdmissionRecord {
  middleware: string;
  allowed: boolean;
  /** Denial code (`RATE_LIMITED`, `BUDGET_EXCEEDED`) when not allowed. */
  code?: string;
  reason?: string;
  retryAfterMs?: number;
  warnings?: readonly string[];
}

/** One model call of the request, with wall-clock times (epoch ms) for spans and audit records. */
export interface ModelCallRecord {
  attempt: CascadeAttempt;
  /** Epoch ms when the call started (end minus latency). */
  startedAt: number;
  /** Epoch ms when the call ended. */
  endedAt: number;
  /** What the provider said about the answer, when the call produced one. */
  finishReason?: FinishReason;
  responseModelId?: string;
  responseId?: string;
}

/** The answer returned to the caller (after output guards), when the request succeeded. */
export interface AnswerRecord {
  /** The answer as the caller received it (output guards applied). */
  text: string;
  modelId: string;
  provider: string;
  tier: number;
  finishReason: FinishReason;
  baselineCostUsd: number;
  savings: number;
  escalated: boolean;
  /** Learned probability that the answer matches the strongest tier's, when the learning cascade decided. */
  probability?: number;
}

/**
 * Everything that happened to one request, given once to every middleware's `onEnd` hook when the
 * request ends (success, error, abort, denial) — for telemetry and audit trails, off the response path.
 * `context.request` is the request after input guards (redacted when a PII guard ran).
 */
export interface RequestReport {
  readonly context: PipelineContext;
  readonly outcome: RequestOutcome;
  /** Epoch ms when the request entered the pipeline. */
  readonly startedAt: number;
  /** Epoch ms when it ended. */
  readonly endedAt: number;
  readonly error?: CascadeError;
  readonly admissions: readonly AdmissionRecord[];
  readonly inputFindings: readonly GuardFinding[];
  readonly outputFindings: readonly GuardFinding[];
  readonly calls: readonly ModelCallRecord[];
  readonly usage: TokenUsage;
  readonly costUsd: number;
  readonly routing?: CascadeRouting;
  readonly answer?: AnswerRecord;
  readonly warnings: readonly string[];
}
