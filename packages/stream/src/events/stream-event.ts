import type { CascadeError, CascadeResult, GuardFinding, QualitySignal, TokenUsage, ToolCall } from '@cascade/core';

/** A model attempt begins: text that follows comes from this model until the next `attempt-start`. */
export interface AttemptStartEvent {
  type: 'attempt-start';
  modelId: string;
  provider: string;
  /** Index of the tier in the agent's configured models (0 = cheapest). */
  tier: number;
  /** 0-based number of this attempt within the request. */
  attempt: number;
}

/** Text the client may show, already through the stream guards. */
export interface TextDeltaEvent {
  type: 'text-delta';
  text: string;
  /** The model the text came from. */
  modelId: string;
  tier: number;
}

/** A tool call of the answer begins (same rules as text: in buffered mode only the kept answer's calls are sent). */
export interface ToolCallStartEvent {
  type: 'tool-call-start';
  /** Orders the calls of one answer. */
  index: number;
  id: string;
  name: string;
  modelId: string;
  tier: number;
}

/** More of a tool call's JSON arguments. */
export interface ToolCallDeltaEvent {
  type: 'tool-call-delta';
  index: number;
  argumentsDelta: string;
  modelId: string;
  tier: number;
}

/** A tool call is complete. */
export interface ToolCallEndEvent {
  type: 'tool-call-end';
  index: number;
  toolCall: ToolCall;
  modelId: string;
  tier: number;
}

/** The tool-call events of an answer. */
export type ToolCallEvent = ToolCallStartEvent | ToolCallDeltaEvent | ToolCallEndEvent;

/** A tool loop ran a tool (`streamCascade` with `tools`): what the model reads back before the next step. */
export interface ToolResultEvent {
  type: 'tool-result';
  /** The loop step whose calls ran (0-based). */
  step: number;
  toolCallId: string;
  toolName: string;
  /** The tool message content (after result guards). */
  content: string;
  /** Set when the call ended as an error result (threw, unknown or blocked tool, invalid arguments). */
  error?: string;
}

/** The validator's judgement of a draft: accepted, or escalated to a stronger tier. */
export interface DraftDecisionEvent {
  type: 'draft-decision';
  decision: 'accepted' | 'escalated';
  modelId: string;
  tier: number;
  /** Validator score, 0..1 (0 for a draft abandoned mid-stream). */
  score: number;
  signals: readonly QualitySignal[];
  reason: string;
  /** True when early escalation abandoned the draft before it finished (its request was cancelled). */
  early: boolean;
}

/**
 * The answer moves to another model. When `discardText` is true the client has already shown text of
 * `from` that is not the answer: it should clear it before showing the text that follows.
 */
export interface SwitchEvent {
  type: 'switch';
  from: string;
  to: string;
  fromTier: number;
  toTier: number;
  /**
   * - `escalated`: the draft failed validation;
   * - `abandoned`: early escalation cancelled the draft mid-stream;
   * - `failed`: the model errored or timed out (possibly mid-stream);
   * - `fallback`: every stronger tier failed, the best rejected draft is the answer (its text follows).
   * - `repaired`: a structured-output answer failed its schema; the same model (`from` = `to`) is asked
   *   once to repair it, and the repair's text follows.
   */
  reason: 'escalated' | 'abandoned' | 'failed' | 'fallback' | 'repaired';
  discardText: boolean;
  /** The failure, for `reason: 'failed'`. */
  error?: CascadeError;
}

/** A stream guard redacted text, stopped the answer, or warned. */
export interface GuardrailEvent {
  type: 'guardrail';
  action: 'redacted' | 'stopped' | 'warned';
  findings: readonly GuardFinding[];
  reason?: string;
  modelId: string;
  tier: number;
}

/** Usage and cost of one attempt, measured from the provider's stream usage (or estimated when cancelled), and running totals. */
export interface UsageEvent {
  type: 'usage';
  modelId: string;
  tier: number;
  usage: TokenUsage;
  costUsd: number;
  totalUsage: TokenUsage;
  totalCostUsd: number;
}

/** The request succeeded: the same result `agent.run` returns. Always the last event of a successful stream. */
export interface FinishEvent {
  type: 'finish';
  result: CascadeResult;
}

/** The request failed or was aborted. Always the last event of a failed stream. */
export interface ErrorEvent {
  type: 'error';
  error: CascadeError;
}

/** Every event of a cascade stream, discriminated by `type`. */
export type CascadeStreamEvent =
  | AttemptStartEvent
  | TextDeltaEvent
  | ToolCallStartEvent
  | ToolCallDeltaEvent
  | ToolCallEndEvent
  | ToolResultEvent
  | DraftDecisionEvent
  | SwitchEvent
  | GuardrailEvent
  | UsageEvent
  | FinishEvent
  | ErrorEvent;

/** The `type` of every {@link CascadeStreamEvent}. */
export type CascadeStreamEventType = CascadeStreamEvent['type'];
