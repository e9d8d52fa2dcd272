import type {
  CallOptions, CascadeSession, ChatModel, ChatRequest, ChatResult, FinishReason, GuardFinding, GuardedStreamPart, PlannedTier, StreamPart,
  TokenLogprob, TokenUsage, ToolCall,
} from '@cascade/core';
import { ZERO_USAGE, countTokens, truncateToTokens } from '@cascade/core';
import type { CascadeStreamEvent, GuardrailEvent, TextDeltaEvent, ToolCallEvent } from '../events/stream-event';
import type { AttemptStrategy } from '../modes/stream-mode';
import { estimateUsage } from '../usage/estimate-usage';

/** The draft finished: its raw text (for validation) and what the guards let through (for the client). */
export interface CompletedAttempt {
  kind: 'completed';
  draft: ChatResult;
  /** Guarded text, as the client sees it. */
  text: string;
  findings: GuardFinding[];
  /** Events held back by the strategy (buffered mode), to flush if the draft is accepted. */
  held: (TextDeltaEvent | GuardrailEvent | ToolCallEvent)[];
  /** True when text of this attempt already reached the client. */
  emitted: boolean;
  latencyMs: number;
}

/** A stream guard stopped the answer: the model call was cancelled. */
export interface StoppedAttempt extends Omit<CompletedAttempt, 'kind'> {
  kind: 'stopped';
  reason: string;
}

/** Early escalation abandoned the draft mid-stream: the model call was cancelled. */
export interface AbandonedAttempt {
  kind: 'abandoned';
  reason: string;
  usage: TokenUsage;
  emitted: boolean;
  latencyMs: number;
}

/** The model (or, when `fatal`, a stream guard) threw; usage is what was consumed before. */
export interface FailedAttempt {
  kind: 'failed';
  error: unknown;
  /** A guard failed, not the model: stop the request instead of falling through. */
  fatal: boolean;
  usage: TokenUsage;
  emitted: boolean;
  latencyMs: number;
}

/** How one attempt ended. */
export type AttemptOutcome = CompletedAttempt | StoppedAttempt | AbandonedAttempt | FailedAttempt;

interface AttemptState {
  raw: string;
  finishReason: FinishReason | undefined;
  usage: TokenUsage | undefined;
  logprobs: TokenLogprob[] | undefined;
  responseId: string | undefined;
  responseModelId: string | undefined;
  modelFailed: boolean;
  toolCalls: ToolCall[];
  /** The provider answered (sent at least one part): a call that ends later was billed. */
  answered: boolean;
  abandonReason: string | undefined;
  /** Output tokens received so far: a running sum of per-delta counts, re-synced by an exact count near the limit. */
  outputTokens: number;
  /** An upper bound of the output tokens received (3 per UTF-16 unit), to skip counting far below the limit. */
  outputBound: number;
}

/**
 * Streams one tier: calls the model (`doStream`, or `doGenerate` when streaming is off), runs the text
 * through the stream guards of the pipeline, emits the client's events live unless the strategy holds them,
 * runs partial checks when asked, and returns how the attempt ended. Never throws: failures are outcomes.
 * `request` is the session's request, or a repair request (structured output that failed its schema).
 */
export async function runAttempt(
  session: CascadeSession,
  tier: PlannedTier,
  strategy: AttemptStrategy,
  partialCheckChars: number,
  emit: (event: CascadeStreamEvent) => void,
  // A drafter's request asks for token logprobs when the learner calibrates them (learning.signals.logprobs).
  request: ChatRequest = session.requestFor(tier),
): Promise<AttemptOutcome> {
  const started = session.now();
  const attemptSignal = session.attemptSignal();
  const modelId = tier.model.modelId;
  const tierIndex = tier.tier;
  const state: AttemptState = {
    raw: '', finishReason: undefined, usage: undefined, logprobs: undefined, responseId: undefined, responseModelId: undefined,
    modelFailed: false, toolCalls: [], answered: false, abandonReason: undefined, outputTokens: 0, outputBound: 0,
  };
  // The reservation assumed at most this many output tokens per call: a provider that ignores the
  // request's `maxOutputTokens` is cut here instead of overspending the budget. Without a max the
  // reservation's default is a guess the provider never saw: the answer is not cut (settle reports overspend).
  const reservedOutputTokens = request.maxOutputTokens !== undefined ? session.reservedOutputTokens : undefined;
  const callOptions: CallOptions | undefined = attemptSignal.signal ? { abortSignal: attemptSignal.signal } : undefined;

  async function* deltas(): AsyncGenerator<string> {
    let checkedAt = 0;
    let source: AsyncIterable<StreamPart>;
    try {
      source = strategy.stream ? tier.model.doStream(request, callOptions) : generateParts(tier.model, request, callOptions);
    } catch (error) {
      state.modelFailed = true;
      throw error;
    }
    const iterator = source[Symbol.asyncIterator]();
    let done = false;
    try {
      while (true) {
        let next: IteratorResult<StreamPart>;
        try {
          next = await iterator.next();
        } catch (error) {
          state.modelFailed = true;
          throw error;
        }
        if (next.done === true) {
          done = true;
          return;
        }
        const part = next.value;
        state.answered = true;
        switch (part.type) {
          case 'text-delta': {
            if (part.text.length === 0) break;
            const allowed = reservedOutputTokens === undefined ? part.text : withinReservation(state, part.text, reservedOutputTokens);
            if (allowed !== part.text) {
              // Past the reservation: keep what fits, stop reading; `finally` cancels the provider's stream.
              state.raw += allowed;
              state.finishReason = 'length';
              if (allowed.length > 0) yield allowed;
              return;
            }
            state.raw += part.text;
            if (strategy.partialChecks && (state.raw.length - checkedAt >= partialCheckChars || part.text.includes('\n'))) {
              checkedAt = state.raw.length;
              const verdict = session.checkPartial(state.raw);
              if (verdict?.failing === true) {
                state.abandonReason = verdict.reason ?? 'the partial draft is failing';
                return;
              }
            }
            yield part.text;
            break;
          }
          case 'tool-call-start':
            onToolCall({ type: 'tool-call-start', index: part.index, id: part.id, name: part.name, modelId, tier: tierIndex });
            break;
          case 'tool-call-delta':
            onToolCall({ type: 'tool-call-delta', index: part.index, argumentsDelta: part.argumentsDelta, modelId, tier: tierIndex });
            break;
          case 'tool-call-end':
            state.toolCalls.push(part.toolCall);
            onToolCall({ type: 'tool-call-end', index: part.index, toolCall: part.toolCall, modelId, tier: tierIndex });
            break;
          case 'usage':
            state.usage = part.usage;
            break;
          case 'finish':
            state.finishReason = part.finishReason;
            if (part.usage) state.usage = part.usage;
            break;
          case 'logprobs':
            (state.logprobs ??= []).push(...part.logprobs);
            break;
          case 'response-metadata':
            if (part.responseId !== undefined) state.responseId = part.responseId;
            if (part.responseModelId !== undefined) state.responseModelId = part.responseModelId;
            break;
        }
      }
    } finally {
      // Ending early (abandon, guard stop, consumer cancel) cancels the model call, down to its HTTP request.
      if (!done && !state.modelFailed) await iterator.return?.()?.catch(() => undefined);
    }
  }

  /** Usage of a call that ended early: the provider's when it sent it, else estimated, or zero when it never answered. */
  const consumed = (): TokenUsage => state.usage ?? (state.answered ? estimateUsage(request, state.raw) : ZERO_USAGE);
  const held: (TextDeltaEvent | GuardrailEvent | ToolCallEvent)[] = [];
  const findings: GuardFinding[] = [];
  let text = '';
  let emitted = false;
  let stopReason: string | undefined;
  const onText = (chunk: string): void => {
    if (chunk.length === 0 || state.abandonReason !== undefined) return;
    text += chunk;
    const event: TextDeltaEvent = { type: 'text-delta', text: chunk, modelId, tier: tierIndex };
    if (strategy.hold) held.push(event);
    else {
      emitted = true;
      emit(event);
    }
  };
  /** Tool-call events follow the text's rules: held for a draft under judgement, else sent live. */
  function onToolCall(event: ToolCallEvent): void {
    if (!strategy.stream) return;
    if (strategy.hold) held.push(event);
    else {
      emitted = true;
      emit(event);
    }
  }
  /** Handles a guard's part; true when the guard stopped the answer. */
  const onPart = (part: GuardedStreamPart): boolean => {
    if (part.type === 'text') {
      onText(part.text);
      return false;
    }
    if (state.abandonReason !== undefined) return false;
    findings.push(...part.findings);
    const event: GuardrailEvent = {
      type: 'guardrail', action: part.action, findings: part.findings, ...(part.reason !== undefined ? { reason: part.reason } : {}), modelId, tier: tierIndex,
    };
    if (strategy.hold) held.push(event);
    else emit(event);
    if (part.action !== 'stopped') return false;
    stopReason = part.reason ?? 'a stream guardrail stopped the answer';
    return true;
  };
  try {
    if (!strategy.stream || !session.hasStreamGuards) {
      // No stream guard (or streaming off: output guards run on the whole answer later): no guard hop per chunk.
      for await (const chunk of deltas()) onText(chunk);
    } else {
      const guarded = session.guardStream(deltas());
      for await (const part of guarded) if (onPart(part)) break;
    }
  } catch (error) {
    return {
      kind: 'failed', error, fatal: !state.modelFailed, usage: consumed(), emitted, latencyMs: session.now() - started,
    };
  } finally {
    attemptSignal.dispose();
  }
  const latencyMs = session.now() - started;
  if (state.abandonReason !== undefined) {
    return { kind: 'abandoned', reason: state.abandonReason, usage: consumed(), emitted, latencyMs };
  }
  const finished = state.finishReason !== undefined;
  const draft: ChatResult = {
    text: state.raw,
    ...(state.toolCalls.length > 0 ? { toolCalls: state.toolCalls } : {}),
    finishReason: stopReason !== undefined ? 'content-filter' : (state.finishReason ?? 'unknown'),
    usage: finished && state.usage ? state.usage : estimateUsage(request, state.raw),
    ...(state.logprobs ? { logprobs: state.logprobs } : {}),
    ...(state.responseId !== undefined ? { responseId: state.responseId } : {}),
    ...(state.responseModelId !== undefined ? { responseModelId: state.responseModelId } : {}),
  };
  if (stopReason !== undefined) return { kind: 'stopped', reason: stopReason, draft, text, findings, held, emitted, latencyMs };
  return { kind: 'completed', draft, text, findings, held, emitted, latencyMs };
}

/**
 * The part of `delta` that keeps the output within `reserved` tokens (all of it, usually). Per-delta counts
 * add up to a little more than the text's count, so near the limit the whole text is counted exactly
 * (linear, and rare: the running sum is re-synced to the exact count).
 */
function withinReservation(state: AttemptState, delta: string, reserved: number): string {
  if (state.outputBound <= reserved) {
    // A UTF-16 unit is at most 3 UTF-8 bytes and a token at least one byte: no tokenizer while far below.
    state.outputBound += delta.length * 3;
    if (state.outputBound <= reserved) return delta;
    state.outputTokens = countTokens(state.raw);
  }
  state.outputTokens += countTokens(delta);
  if (state.outputTokens <= reserved) return delta;
  state.outputTokens = countTokens(state.raw + delta);
  if (state.outputTokens <= reserved) return delta;
  const kept = truncateToTokens(state.raw + delta, reserved).text;
  return kept.length > state.raw.length ? kept.slice(state.raw.length) : '';
}

/** A non-streamed call as stream parts: the whole answer in one delta (the `streaming: false` fallback). */
async function* generateParts(model: ChatModel, request: ChatRequest, options: CallOptions | undefined): AsyncGenerator<StreamPart> {
  const result = await model.doGenerate(request, options);
  yield {
    type: 'response-metadata',
    ...(result.responseId !== undefined ? { responseId: result.responseId } : {}),
    ...(result.responseModelId !== undefined ? { responseModelId: result.responseModelId } : {}),
  };
  yield { type: 'text-delta', text: result.text };
  for (const [index, toolCall] of (result.toolCalls ?? []).entries()) yield { type: 'tool-call-end', index, toolCall };
  if (result.logprobs) yield { type: 'logprobs', logprobs: result.logprobs };
  yield { type: 'finish', finishReason: result.finishReason, usage: result.usage };
}
