import type { CascadeAttempt } from '../engine/cascade-result';
import type { ToolCall } from '../model/chat-message';
import type { FinishReason } from '../model/chat-result';
import type { TokenUsage } from '../model/token-usage';
import type { GuardFinding } from '../pipeline/middleware';

/** What one tool call gave back to the model. */
export interface ToolResult {
  toolCallId: string;
  toolName: string;
  /** The value `execute` returned (absent on error). */
  output?: unknown;
  /** Why the call gave an error result: the tool threw, is unknown or not allowed, its arguments were invalid, or a guard blocked it. */
  error?: string;
  /** The `tool` message content the model read (after result guards). */
  content: string;
  /** What the argument and result guards found. */
  guardrails: readonly GuardFinding[];
}

/** One step of a tool loop: one cascade (a model answer, validated and escalated as usual), then its tool calls run. */
export interface CascadeStep {
  /** 0-based. */
  index: number;
  requestId: string;
  text: string;
  toolCalls: readonly ToolCall[];
  toolResults: readonly ToolResult[];
  modelId: string;
  tier: number;
  finishReason: FinishReason;
  attempts: readonly CascadeAttempt[];
  usage: TokenUsage;
  costUsd: number;
  escalated: boolean;
}
