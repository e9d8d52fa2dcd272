import {
  type CascadeAgent, type CascadeAttempt, CascadeError, type CascadeInput, type CascadeResult, type CascadeSession, type ChatRequest, type GuardFinding,
  type PlannedTier, type QualityVerdict, type TokenUsage, type ToolCall, ZERO_USAGE, checkOutputSchema, isAbortError, isRepairable, repairRequest,
  toCascadeError,
} from '@cascade/core';
import type { CascadeStreamEvent, SwitchEvent, UsageEvent } from '../events/stream-event';
import { type AttemptStrategy, attemptStrategy, resolveStreamMode } from '../modes/stream-mode';
import type { ParsedStreamCascadeOptions } from '../options/stream-options';
import { type CompletedAttempt, type StoppedAttempt, runAttempt } from './run-attempt';

/** Where the driver reports how the request ended (the stream's promises). */
export interface StreamOutcomeSink {
  succeed(result: CascadeResult): void;
  fail(error: CascadeError, usage: TokenUsage, costUsd: number): void;
}

/**
 * Drives one request through the cascade with `doStream` and emits its events. Never throws: a failure
 * ends the events with an `error` event. Settles the session exactly once on every path.
 */
export async function driveStream(
  agent: CascadeAgent,
  input: CascadeInput,
  options: ParsedStreamCascadeOptions,
  signal: AbortSignal,
  sink: StreamOutcomeSink,
  emit: (event: CascadeStreamEvent) => void,
): Promise<void> {
  let session: CascadeSession;
  try {
    session = await agent.begin(input, {
      mode: 'stream',
      abortSignal: signal,
      ...(options.userId !== undefined ? { userId: options.userId } : {}),
      ...(options.principal !== undefined ? { principal: options.principal } : {}),
      ...(options.policy !== undefined ? { policy: options.policy } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.requestId !== undefined ? { requestId: options.requestId } : {}),
    });
  } catch (error) {
    const typed = toCascadeError(error);
    sink.fail(typed, ZERO_USAGE, 0);
    emit({ type: 'error', error: typed });
    return;
  }
  let settled = false;
  try {
    const result = await driveTiers(session, options, emit);
    settled = true;
    const warning = await session.finish('success', { result });
    const final = warning ? { ...result, warnings: [...result.warnings, warning] } : result;
    sink.succeed(final);
    emit({ type: 'finish', result: final });
  } catch (error) {
    const typed = session.stopped ? session.stopError() : toCascadeError(error);
    if (!settled) {
      settled = true;
      await session.finish(typed.code === 'ABORTED' || isAbortError(error) ? 'aborted' : 'error', { error: typed });
    }
    sink.fail(typed, session.usage, session.costUsd);
    emit({ type: 'error', error: typed });
  } finally {
    // Only reached unsettled when the generator itself is returned early; the stream never does that.
    if (!settled) await session.finish('aborted');
  }
}

interface Fallback {
  tier: PlannedTier;
  outcome: CompletedAttempt;
  strategy: AttemptStrategy;
  verdict: QualityVerdict;
}

interface PendingSwitch {
  from: PlannedTier;
  reason: SwitchEvent['reason'];
  discardText: boolean;
  error?: CascadeError;
}

/** Drives the tiers of one admitted session with `doStream`, emitting events; the caller finishes the session. */
export async function driveTiers(
  session: CascadeSession,
  options: ParsedStreamCascadeOptions,
  emit: (event: CascadeStreamEvent) => void,
): Promise<CascadeResult> {
  const policy = session.context.policy;
  const mode = resolveStreamMode(options.streamMode, policy);
  const tiers = session.tiers;
  let fallback: Fallback | undefined;
  let lastError: CascadeError | undefined;
  let pending: PendingSwitch | undefined;
  // Calls of the current tier: a transient failure may call the same tier again (policy.retry).
  let calls = 0;
  let callsOf = -1;
  tiers: for (let index = 0; index < tiers.length; index++) {
    const tier = tiers[index]!;
    calls = callsOf === index ? calls + 1 : 1;
    callsOf = index;
    const isLast = index === tiers.length - 1;
    const willValidate = !isLast && session.validationEnabled;
    const tierStrategy = attemptStrategy(mode, policy, willValidate);
    // A structured-output answer that fails its schema gets one repair on the same tier (as `run` does).
    let request = session.requestFor(tier);
    for (let repairing = false; ; repairing = true) {
      // Buffered mode never sends text that is later replaced: the strongest tier's structured answer
      // is held until its schema check passes (a repair would replace it); the repair itself is final.
      const strategy = mode === 'buffered' && isLast && !repairing && tierStrategy.stream && hasOutputSchema(session.request) ? { ...tierStrategy, hold: true } : tierStrategy;
      if (session.stopped) throw session.stopError();
      if (pending) emit(switchEvent(pending, tier));
      pending = undefined;
      emit({ type: 'attempt-start', modelId: tier.model.modelId, provider: tier.model.provider, tier: tier.tier, attempt: session.attempts.length });
      const outcome = await runAttempt(session, tier, strategy, options.partialCheckChars, emit, request);

      if (outcome.kind === 'failed') {
        if (session.stopped) {
          emit(usageEvent(session, session.recordFailure(tier, session.stopError(), outcome.latencyMs, outcome.usage)));
          throw session.stopError();
        }
        const attempt = session.recordFailure(tier, outcome.fatal ? toCascadeError(outcome.error, 'STORE_FAILED', 'A stream guard failed') : outcome.error, outcome.latencyMs, outcome.usage);
        emit(usageEvent(session, attempt));
        if (outcome.fatal) throw attempt.error!;
        lastError = attempt.error;
        pending = { from: tier, reason: 'failed', discardText: outcome.emitted, ...(lastError ? { error: lastError } : {}) };
        // Same tier again (a `switch` to itself tells the client to drop any text it got) or the next one.
        if (await session.retryAfterFailure(tier, attempt, calls)) index--;
        continue tiers;
      }
      if (outcome.kind === 'abandoned') {
        emit(usageEvent(session, session.recordCall(tier, outcome.usage, outcome.latencyMs, 'abandoned', `abandoned mid-stream by early escalation: ${outcome.reason}`)));
        emit({
          type: 'draft-decision', decision: 'escalated', modelId: tier.model.modelId, tier: tier.tier, score: 0,
          signals: [{ name: 'early-escalation', impact: -1, fatal: true, detail: outcome.reason }], reason: outcome.reason, early: true,
        });
        pending = { from: tier, reason: 'abandoned', discardText: outcome.emitted };
        continue tiers;
      }
      if (outcome.kind === 'stopped') {
        emit(usageEvent(session, session.recordCall(tier, outcome.draft.usage, outcome.latencyMs, 'final', `stopped by a stream guardrail: ${outcome.reason}`)));
        const answer = await emitAnswer(session, tier, outcome, strategy, false, emit);
        const result = session.buildResult(tier, outcome.draft, answer.text, answer.findings);
        return { ...result, warnings: [...result.warnings, `A stream guardrail stopped the answer of ${tier.model.modelId} after ${answer.text.length} characters: ${outcome.reason}`] };
      }
      if (!willValidate) {
        // The strongest tier is not judged, but structured output must still parse: one repair.
        const schemaVerdict = isLast && !repairing ? checkOutputSchema(session.request, outcome.draft) : undefined;
        if (schemaVerdict) {
          pending = repairSwitch(session, tier, outcome, schemaVerdict, emit);
          request = repairRequest(session.request, outcome.draft.text, schemaVerdict);
          continue;
        }
        const reason = isLast ? (index === 0 ? 'only tier' : 'strongest tier: returned without a further check') : 'quality validation is off for this policy';
        emit(usageEvent(session, session.recordCall(tier, outcome.draft.usage, outcome.latencyMs, isLast ? 'final' : 'accepted', reason, undefined, outcome.draft)));
        const answer = await emitAnswer(session, tier, outcome, strategy, false, emit);
        return session.buildResult(tier, outcome.draft, answer.text, answer.findings);
      }
      const verdict = await session.validate(tier, outcome.draft);
      if (session.stopped) throw session.stopError();
      if (!repairing && isRepairable(verdict)) {
        pending = repairSwitch(session, tier, outcome, verdict, emit);
        request = repairRequest(session.request, outcome.draft.text, verdict);
        continue;
      }
      const accepted = verdict.passed;
      emit(usageEvent(session, session.recordCall(tier, outcome.draft.usage, outcome.latencyMs, accepted ? 'accepted' : 'escalated', verdict.reason, verdict, outcome.draft)));
      emit({
        type: 'draft-decision', decision: accepted ? 'accepted' : 'escalated', modelId: tier.model.modelId, tier: tier.tier,
        score: verdict.score, signals: verdict.signals, reason: verdict.reason, early: false,
      });
      if (accepted) {
        const answer = await emitAnswer(session, tier, outcome, strategy, false, emit);
        return session.buildResult(tier, outcome.draft, answer.text, answer.findings);
      }
      if (!fallback || verdict.score > fallback.verdict.score) fallback = { tier, outcome, strategy, verdict };
      pending = { from: tier, reason: 'escalated', discardText: outcome.emitted };
      continue tiers;
    }
  }
  if (session.stopped) throw session.stopError();
  if (fallback) {
    // Every stronger tier failed: a rejected draft beats no answer. Say so, and send its text again.
    const attempt = session.attempts.find((candidate) => candidate.tier === fallback.tier.tier && candidate.status === 'escalated');
    if (attempt) attempt.status = 'fallback';
    if (pending) emit(switchEvent({ ...pending, reason: 'fallback' }, fallback.tier));
    const answer = await emitAnswer(session, fallback.tier, fallback.outcome, fallback.strategy, true, emit);
    const result = session.buildResult(fallback.tier, fallback.outcome.draft, answer.text, answer.findings);
    return {
      ...result,
      warnings: [...result.warnings, `Every stronger tier failed; returned the draft of ${fallback.tier.model.modelId} that scored ${fallback.verdict.score.toFixed(2)} (below ${session.threshold}).`],
    };
  }
  const failures = session.attempts.filter((attempt) => attempt.error);
  throw new CascadeError(
    'ALL_MODELS_FAILED',
    `All ${failures.length} model attempt(s) failed: ${failures.map((a) => `${a.modelId} (${a.error!.code}${a.error!.statusCode ? ` ${a.error!.statusCode}` : ''})`).join(', ')}. Check the providers' status and credentials, or retry later.`,
    {
      cause: lastError,
      retryable: failures.some((attempt) => attempt.error!.retryable),
      ...(lastError?.retryAfterMs !== undefined ? { retryAfterMs: lastError.retryAfterMs } : {}),
      details: { attempts: failures.map((a) => ({ modelId: a.modelId, code: a.error!.code, statusCode: a.error!.statusCode, message: a.error!.message })) },
    },
  );
}

/**
 * Sends the chosen answer's text to the client: the held events (buffered mode), or, for an answer
 * already streamed that must be sent again (`resend`, a fallback), one delta. With streaming off, the
 * whole answer goes through the output guards (as `run` does) and is sent once.
 */
async function emitAnswer(
  session: CascadeSession,
  tier: PlannedTier,
  outcome: CompletedAttempt | StoppedAttempt,
  strategy: AttemptStrategy,
  resend: boolean,
  emit: (event: CascadeStreamEvent) => void,
): Promise<{ text: string; findings: readonly GuardFinding[] }> {
  const modelId = tier.model.modelId;
  if (!strategy.stream) {
    const guarded = await session.guardOutput(outcome.draft.text);
    if (guarded.findings.length > 0) {
      const redacted = guarded.findings.some((finding) => finding.action === 'redact' || finding.action === 'mask' || finding.action === 'hash');
      emit({ type: 'guardrail', action: redacted ? 'redacted' : 'warned', findings: guarded.findings, modelId, tier: tier.tier });
    }
    if (guarded.text.length > 0) emit({ type: 'text-delta', text: guarded.text, modelId, tier: tier.tier });
    emitToolCalls(outcome.draft.toolCalls, modelId, tier.tier, emit);
    return { text: guarded.text, findings: guarded.findings };
  }
  if (strategy.hold) {
    for (const event of outcome.held) emit(event);
  } else if (resend) {
    if (outcome.text.length > 0) emit({ type: 'text-delta', text: outcome.text, modelId, tier: tier.tier });
    emitToolCalls(outcome.draft.toolCalls, modelId, tier.tier, emit);
  }
  return { text: outcome.text, findings: outcome.findings };
}

/** A whole answer's tool calls as start, one argument delta, end (an answer sent at once). */
function emitToolCalls(toolCalls: readonly ToolCall[] | undefined, modelId: string, tier: number, emit: (event: CascadeStreamEvent) => void): void {
  for (const [index, toolCall] of (toolCalls ?? []).entries()) {
    emit({ type: 'tool-call-start', index, id: toolCall.id, name: toolCall.function.name, modelId, tier });
    if (toolCall.function.arguments.length > 0) emit({ type: 'tool-call-delta', index, argumentsDelta: toolCall.function.arguments, modelId, tier });
    emit({ type: 'tool-call-end', index, toolCall, modelId, tier });
  }
}

/** True when the request asks for JSON (`json_object` or `json_schema`), which a repair may replace. */
function hasOutputSchema(request: ChatRequest): boolean {
  return request.responseFormat !== undefined && request.responseFormat.type !== 'text';
}

/** Records a draft that failed its output schema as `repaired`; the returned switch announces the repair on the same tier. */
function repairSwitch(session: CascadeSession, tier: PlannedTier, outcome: CompletedAttempt, verdict: QualityVerdict, emit: (event: CascadeStreamEvent) => void): PendingSwitch {
  emit(usageEvent(session, session.recordCall(tier, outcome.draft.usage, outcome.latencyMs, 'repaired', `${verdict.reason}; asking the same tier once to repair it`, verdict, outcome.draft)));
  return { from: tier, reason: 'repaired', discardText: outcome.emitted };
}

function switchEvent(pending: PendingSwitch, to: PlannedTier): SwitchEvent {
  return {
    type: 'switch', from: pending.from.model.modelId, to: to.model.modelId, fromTier: pending.from.tier, toTier: to.tier,
    reason: pending.reason, discardText: pending.discardText, ...(pending.error ? { error: pending.error } : {}),
  };
}

function usageEvent(session: CascadeSession, attempt: CascadeAttempt): UsageEvent {
  return {
    type: 'usage', modelId: attempt.modelId, tier: attempt.tier, usage: attempt.usage, costUsd: attempt.costUsd,
    totalUsage: session.usage, totalCostUsd: session.costUsd,
  };
}

