import type { CascadeError } from '../errors/cascade-error';
import { toCascadeError } from '../errors/to-cascade-error';
import type { ChatModel } from '../model/chat-model';
import type { ToolCall } from '../model/chat-message';
import { checkToolCalls } from '../quality/tool-call-check';
import { isToolAllowed } from '../policy/agent-policy';
import { checkOutputSchema } from '../quality/output-schema-check';
import type { ChatRequest } from '../model/chat-request';
import type { ChatResult } from '../model/chat-result';
import { type TokenUsage, ZERO_USAGE, addUsage } from '../model/token-usage';
import type { AdmittedRequest } from '../pipeline/create-pipeline';
import type { GuardFinding, PipelineContext } from '../pipeline/middleware';
import type { ModelCallRecord } from '../pipeline/request-report';
import type { Pricing } from '../pricing/pricing';
import type { RequestLearning } from '../learning/request-learning';
import type { CallOptions } from '../model/chat-model';
import type { DraftAgreement } from '../learning/draft-signals';
import { type SampledDrafts, sampleDrafts } from '../learning/sample-drafts';
import type { PartialVerdict, QualityValidator, QualityVerdict } from '../quality/quality-validator';
import { type RetryPolicy, isTransientModelError } from '../policy/retry-policy';
import { abortErrorFrom, sleep, withTimeout } from '../util/abort';
import { retryDelay } from '../util/retry-delay';
import type { AttemptStatus, CascadeAttempt, CascadeResult, CascadeRouting } from './cascade-result';
import type { PlannedTier } from './plan-tiers';

export interface CascadeSessionInit {
  admitted: AdmittedRequest;
  tiers: readonly PlannedTier[];
  routing: CascadeRouting;
  threshold: number;
  validationEnabled: boolean;
  validator: QualityValidator;
  pricing: Pricing;
  /** The strongest tier the policy allows, for the savings baseline. */
  baselineModel: ChatModel;
  attemptTimeoutMs: number | undefined;
  signal: AbortSignal | undefined;
  now: () => number;
  startedAt: number;
  dispose: () => void;
  /** Sees every recorded attempt (adaptive routing learns acceptance rates from it). */
  onAttempt?: (attempt: CascadeAttempt) => void;
  /** The learner's part in this request: decides drafts and learns from the answer. */
  learning?: RequestLearning;
  /** Retries of a tier after a transient error (the policy's `retry` over the defaults). */
  retry?: Required<RetryPolicy>;
  /** When the request's total timeout fires, on the `now` clock: no retry waits past it. */
  deadline?: number;
  /** Waits between retries; rejects when the signal fires. @default core's `sleep` */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Jitter source in [0, 1). @default Math.random */
  random?: () => number;
}

/**
 * One admitted request being driven through its tiers. `run` drives it with `doGenerate`;
 * the streaming driver drives it with `doStream`. It keeps the attempts, usage and cost, and settles the
 * pipeline's reservations exactly once, whatever path ends the request.
 */
export class CascadeSession {
  readonly attempts: CascadeAttempt[] = [];
  readonly tiers: readonly PlannedTier[];
  readonly routing: CascadeRouting;
  readonly threshold: number;
  readonly validationEnabled: boolean;
  /** The joined caller signal and total timeout: pass it (or `attemptSignal()`) to every call. */
  readonly signal: AbortSignal | undefined;
  private usageTotal: TokenUsage = ZERO_USAGE;
  private costTotal = 0;
  private finished = false;
  /** Wall-clock times and provider facts of each call, for `onEnd` reports (kept only when a hook listens). */
  private readonly callRecords: ModelCallRecord[] = [];
  private offered: ChatRequest | undefined;
  /** Retries made so far per tier index: the tier's later calls carry it as `attempt.retry`. */
  private readonly retries = new Map<number, number>();

  constructor(private readonly init: CascadeSessionInit) {
    this.tiers = init.tiers;
    this.routing = init.routing;
    this.threshold = init.threshold;
    this.validationEnabled = init.validationEnabled;
    this.signal = init.signal;
  }

  /** The pipeline context (principal, policy, guarded request). */
  get context(): PipelineContext {
    return this.init.admitted.context;
  }

  /** The request as the models must see it (after input guards; without the tools the policy blocks). */
  get request(): ChatRequest {
    const request = this.init.admitted.context.request;
    const policy = this.init.admitted.context.policy;
    if (!request.tools || (!policy.allowedTools && !policy.blockedTools)) return request;
    this.offered ??= { ...request, tools: request.tools.filter((tool) => isToolAllowed(policy, tool.function.name)) };
    return this.offered;
  }

  get usage(): TokenUsage {
    return this.usageTotal;
  }

  get costUsd(): number {
    return this.costTotal;
  }

  get now(): () => number {
    return this.init.now;
  }

  /**
   * Output tokens reserved per model call at admission (the request's `maxOutputTokens`, else the pricing
   * default). A streaming driver stops reading, and cancels the call, once a draft passes the request's
   * `maxOutputTokens` (never at the default, which the provider was not told).
   */
  get reservedOutputTokens(): number {
    return this.init.admitted.context.estimate.maxOutputTokens;
  }

  /** The signal for one attempt: the session signal joined with the per-attempt timeout. Call `dispose` after. */
  attemptSignal(): { signal: AbortSignal | undefined; dispose: () => void } {
    return withTimeout(this.init.signal, this.init.attemptTimeoutMs);
  }

  /** True when the caller aborted or the total timeout fired: stop everything. */
  get stopped(): boolean {
    return this.init.signal?.aborted === true;
  }

  /** The typed error for a stopped session. */
  stopError(): CascadeError {
    return abortErrorFrom(this.init.signal!, 'The request');
  }

  /**
   * Calls a drafting tier. With learning's live signals on, the call asks for token logprobs and/or
   * samples several drafts (one `choiceCount` call or parallel calls) and returns the majority one;
   * `usage` covers every call, so the attempt is charged all of them.
   */
  draft(tier: PlannedTier, options: CallOptions | undefined): Promise<SampledDrafts> {
    const learning = this.init.learning;
    if (!learning) return tier.model.doGenerate(this.request, options).then((draft) => ({ draft, usage: draft.usage, samples: 1 }));
    return sampleDrafts(tier.model, this.requestFor(tier), learning.samples, options);
  }

  /**
   * The request a tier is called with: a drafter's asks for token logprobs when
   * `learning.signals.logprobs` is on (streaming drivers call `doStream` with it); the strongest tier
   * gets `request` as it is.
   */
  requestFor(tier: PlannedTier): ChatRequest {
    const learning = this.init.learning;
    if (!learning || tier === this.tiers[this.tiers.length - 1]) return this.request;
    return learning.draftRequest(this.request);
  }

  /** Validates a draft against the session's threshold; `agreement` is how sampled drafts agreed (sampled agreement). */
  async validate(tier: PlannedTier, draft: ChatResult, agreement?: DraftAgreement): Promise<QualityVerdict> {
    // Tool calls are judged by their own check (tool exists, allowed, arguments valid, choice honoured);
    // a failed one escalates without asking the learner. Text answers go to the validator.
    const toolVerdict = checkToolCalls(this.request, draft, { modelId: tier.model.modelId, policy: this.context.policy });
    if (toolVerdict && !toolVerdict.passed) return toolVerdict;
    if (toolVerdict) return this.init.learning ? this.init.learning.decide(tier, draft, toolVerdict, agreement) : toolVerdict;
    const schemaVerdict = checkOutputSchema(this.request, draft);
    if (schemaVerdict) return schemaVerdict;
    const pending = this.init.validator.validate({ request: this.request, draft, modelId: tier.model.modelId, threshold: this.threshold });
    const verdict = isPromise(pending) ? await pending : pending;
    return this.init.learning ? this.init.learning.decide(tier, draft, verdict, agreement) : verdict;
  }

  /** Early-escalation check of a partial streamed draft, when the validator supports it. */
  checkPartial(partialText: string): PartialVerdict | undefined {
    return this.validationEnabled ? this.init.validator.checkPartial?.(this.request, partialText) : undefined;
  }

  /** Records a call that produced usage (accepted, escalated, final, abandoned). */
  recordCall(
    tier: PlannedTier, usage: TokenUsage, latencyMs: number, status: AttemptStatus, reason: string, quality?: QualityVerdict,
    response?: Pick<ChatResult, 'finishReason' | 'responseModelId' | 'responseId'>,
  ): CascadeAttempt {
    const costUsd = this.init.pricing.costOf(tier.model.modelId, usage);
    this.usageTotal = addUsage(this.usageTotal, usage);
    this.costTotal += costUsd;
    const attempt: CascadeAttempt = {
      modelId: tier.model.modelId,
      provider: tier.model.provider,
      tier: tier.tier,
      status,
      usage,
      costUsd,
      latencyMs,
      reason,
      ...(quality ? { quality } : {}),
      ...(this.retries.has(tier.tier) ? { retry: this.retries.get(tier.tier)! } : {}),
    };
    this.attempts.push(attempt);
    if (this.init.admitted.hasEndHooks) {
      const endedAt = Date.now();
      // Latency is measured on the monotonic clock, Date.now() truncates to whole ms: without the bound a
      // call could seem to start up to 1 ms before its request (a child span outside its parent).
      this.callRecords.push({
        attempt, startedAt: Math.max(endedAt - latencyMs, this.init.admitted.startedAt), endedAt,
        ...(response?.finishReason ? { finishReason: response.finishReason } : {}),
        ...(response?.responseModelId ? { responseModelId: response.responseModelId } : {}),
        ...(response?.responseId ? { responseId: response.responseId } : {}),
      });
    }
    this.init.onAttempt?.(attempt);
    return attempt;
  }

  /** Records a call that failed; usage consumed before the failure (streams) still counts. */
  recordFailure(tier: PlannedTier, error: unknown, latencyMs: number, usage: TokenUsage = ZERO_USAGE): CascadeAttempt {
    const typed = toCascadeError(error, 'MODEL_CALL_FAILED', `${tier.model.modelId}`);
    const attempt = this.recordCall(tier, usage, latencyMs, 'failed', typed.code === 'TIMEOUT' ? `timed out: ${typed.message}` : `failed: ${typed.message}`);
    attempt.error = typed;
    return attempt;
  }

  /**
   * Decides whether to call `tier` again after `failed` (its `calls`-th call) and waits before it: only
   * transient errors (`isTransientModelError`), at most `retry.maxAttempts` calls per tier, after a
   * full-jitter exponential backoff that honours the error's Retry-After (`retryAfterMs`). Returns false
   * — fall through now — when the budget of calls is spent, the Retry-After is over `retry.maxDelayMs`,
   * or the wait would end past the request's timeout. Rejects with `ABORTED`/`TIMEOUT` when the request
   * is stopped while waiting (the timer is cleared). Says what it does in the failed attempt's `reason`.
   */
  async retryAfterFailure(tier: PlannedTier, failed: CascadeAttempt, calls: number): Promise<boolean> {
    const retry = this.init.retry;
    const error = failed.error;
    if (!retry || !error || calls >= retry.maxAttempts || this.stopped || !isTransientModelError(error)) return false;
    const delayMs = retryDelay(calls, error, { initialDelayMs: retry.baseDelayMs, multiplier: 2, maxDelayMs: retry.maxDelayMs, maxRetryAfterMs: retry.maxDelayMs }, this.init.random ?? Math.random);
    if (delayMs === undefined) {
      failed.reason += `; not retried: the provider asked to wait ${error.retryAfterMs} ms, over retry.maxDelayMs ${retry.maxDelayMs}`;
      return false;
    }
    if (this.init.deadline !== undefined && this.init.now() + delayMs >= this.init.deadline) {
      failed.reason += `; not retried: waiting ${delayMs} ms would pass the request's timeout`;
      return false;
    }
    failed.reason += `; retrying ${tier.model.modelId} in ${delayMs} ms (call ${calls + 1} of ${retry.maxAttempts})`;
    this.retries.set(tier.tier, calls);
    await (this.init.sleep ?? sleep)(delayMs, this.init.signal);
    return true;
  }

  /** Builds the result for the chosen answer, after output guards. */
  buildResult(tier: PlannedTier, answer: ChatResult, text: string, outputFindings: readonly GuardFinding[]): CascadeResult {
    const baselineCostUsd = this.init.pricing.costOf(this.init.baselineModel.modelId, {
      inputTokens: answer.usage.inputTokens,
      outputTokens: answer.usage.outputTokens,
      source: answer.usage.source,
    });
    const context = this.init.admitted.context;
    const learning = this.init.learning?.finish(context.requestId, tier, answer, this.attempts, this.costTotal, baselineCostUsd);
    return {
      requestId: context.requestId,
      text,
      modelId: tier.model.modelId,
      provider: tier.model.provider,
      tier: tier.tier,
      finishReason: answer.finishReason,
      ...(answer.toolCalls && answer.toolCalls.length > 0 ? { toolCalls: answer.toolCalls } : {}),
      attempts: this.attempts,
      usage: this.usageTotal,
      costUsd: this.costTotal,
      baselineCostUsd,
      savings: baselineCostUsd > 0 ? 1 - this.costTotal / baselineCostUsd : 0,
      latencyMs: this.init.now() - this.init.startedAt,
      escalated: this.attempts.some((attempt) => attempt.status === 'escalated' || attempt.status === 'abandoned'),
      routing: this.routing,
      ...(context.principal ? { principal: context.principal } : {}),
      guardrails: [...this.init.admitted.inputFindings, ...outputFindings],
      warnings: [...this.init.admitted.warnings],
      ...(learning ? { learning } : {}),
    };
  }

  /** Output guards over a whole answer. */
  guardOutput(text: string): Promise<{ text: string; findings: GuardFinding[] }> {
    return this.init.admitted.guardOutput(text);
  }

  /** True when the pipeline has stream guards; without them a driver can pass deltas straight on. */
  get hasStreamGuards(): boolean {
    return this.init.admitted.hasStreamGuards;
  }

  /** Guards on a tool call's arguments before it runs (PII leaving through arguments). */
  guardToolArguments(call: ToolCall): ReturnType<AdmittedRequest['guardToolArguments']> {
    return this.init.admitted.guardToolArguments(call);
  }

  /** Guards on a tool's result before the model reads it (indirect prompt injection). */
  guardToolResult(call: ToolCall, content: string): ReturnType<AdmittedRequest['guardToolResult']> {
    return this.init.admitted.guardToolResult(call, content);
  }

  /** Stream guards over text deltas. */
  guardStream(deltas: AsyncIterable<string>): ReturnType<AdmittedRequest['guardStream']> {
    return this.init.admitted.guardStream(deltas);
  }

  /**
   * What the request spent beyond its reservation (the pre-flight estimate), in USD; 0 when within it.
   * Happens when a provider ignores `maxOutputTokens` on a non-streamed call (streams are cut at it), or
   * when a request without `maxOutputTokens` gets a longer answer than the pricing default assumed.
   */
  get overspendUsd(): number {
    const over = this.costTotal - this.init.admitted.context.estimate.costUsd;
    return over > 1e-12 ? over : 0;
  }

  /**
   * Settles every reservation with what was consumed and clears the session's timers. Idempotent.
   * Returns a warning when settling failed (the answer is still valid; the usage store is not) and/or
   * when the request spent more than it reserved (`SettleInfo.overspendUsd` tells the reservations too).
   */
  async finish(outcome: 'success' | 'error' | 'aborted', end: { result?: CascadeResult; error?: CascadeError } = {}): Promise<string | undefined> {
    if (this.finished) return undefined;
    this.finished = true;
    this.init.dispose();
    const overspendUsd = this.overspendUsd;
    const warnings: string[] = [];
    if (overspendUsd > 0) warnings.push(overspendWarning(this, overspendUsd));
    try {
      const calls = this.attempts.map((attempt) => ({ modelId: attempt.modelId, usage: attempt.usage, costUsd: attempt.costUsd }));
      await this.init.admitted.settle({ usage: this.usageTotal, costUsd: this.costTotal, outcome, calls, ...(overspendUsd > 0 ? { overspendUsd } : {}) });
    } catch (error) {
      warnings.push(toCascadeError(error, 'STORE_FAILED').message);
    }
    if (this.init.admitted.hasEndHooks) this.report(outcome, end, warnings);
    return warnings.length > 0 ? warnings.join(' ') : undefined;
  }

  /** Gives how the request ended to the pipeline's `onEnd` hooks. */
  private report(outcome: 'success' | 'error' | 'aborted', end: { result?: CascadeResult; error?: CascadeError }, warnings: readonly string[]): void {
    const result = end.result;
    const inputCount = this.init.admitted.inputFindings.length;
    this.init.admitted.end({
      outcome,
      endedAt: Date.now(),
      ...(end.error ? { error: end.error } : {}),
      outputFindings: result ? result.guardrails.slice(inputCount) : [],
      calls: this.callRecords,
      usage: this.usageTotal,
      costUsd: this.costTotal,
      routing: this.routing,
      ...(result ? {
        answer: {
          text: result.text, modelId: result.modelId, provider: result.provider, tier: result.tier, finishReason: result.finishReason,
          baselineCostUsd: result.baselineCostUsd, savings: result.savings, escalated: result.escalated,
          ...(result.learning?.probability !== undefined ? { probability: result.learning.probability } : {}),
        },
      } : {}),
      warnings: result ? [...result.warnings, ...warnings] : warnings,
    });
  }
}

function overspendWarning(session: CascadeSession, overspendUsd: number): string {
  const reserved = session.context.estimate;
  const over = session.attempts.filter((attempt) => attempt.usage.outputTokens > reserved.maxOutputTokens).map((attempt) => `${attempt.modelId} (${attempt.usage.outputTokens})`);
  return `The request spent $${session.costUsd.toFixed(6)}, $${overspendUsd.toFixed(6)} more than the $${reserved.costUsd.toFixed(6)} reserved` +
    (over.length > 0 ? `: output tokens over the reserved ${reserved.maxOutputTokens} from ${over.join(', ')} (the provider ignored maxOutputTokens)` : '') +
    '. Budgets were charged the actual cost; set maxOutputTokens and stream the call to have it cut at the reservation.';
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
