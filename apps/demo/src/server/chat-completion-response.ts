import { randomUUID } from 'node:crypto';
import type { CascadeResult, FinishReason } from '@cascade/core';

const FINISH: Readonly<Record<FinishReason, string>> = { stop: 'stop', length: 'length', 'content-filter': 'content_filter', 'tool-calls': 'tool_calls', error: 'stop', other: 'stop', unknown: 'stop' };

/** A cascade result as an OpenAI `chat.completion`, with the cascade's facts under `cascade`. */
export function toChatCompletion(result: CascadeResult, now: () => number = Date.now): Record<string, unknown> {
  return {
    id: `chatcmpl-${randomUUID()}`,
    object: 'chat.completion',
    created: Math.floor(now() / 1000),
    model: result.modelId,
    choices: [{ index: 0, message: assistantMessage(result), logprobs: null, finish_reason: FINISH[result.finishReason] }],
    usage: { prompt_tokens: result.usage.inputTokens, completion_tokens: result.usage.outputTokens, total_tokens: result.usage.inputTokens + result.usage.outputTokens },
    cascade: {
      request_id: result.requestId,
      escalated: result.escalated,
      cost_usd: result.costUsd,
      baseline_cost_usd: result.baselineCostUsd,
      savings: result.savings,
      latency_ms: Math.round(result.latencyMs),
      attempts: result.attempts.map((attempt) => ({ model: attempt.modelId, status: attempt.status, cost_usd: attempt.costUsd, score: attempt.quality?.score ?? null, reason: attempt.reason })),
      guardrails: result.guardrails.map((finding) => ({ guard: finding.guard, type: finding.type, action: finding.action })),
    },
  };
}

/** The answer as OpenAI's assistant message: `content: null` beside tool calls without text, as OpenAI sends it. */
function assistantMessage(result: CascadeResult): Record<string, unknown> {
  const calls = result.toolCalls ?? [];
  if (calls.length === 0) return { role: 'assistant', content: result.text, refusal: null };
  return { role: 'assistant', content: result.text === '' ? null : result.text, refusal: null, tool_calls: calls.map((call) => ({ id: call.id, type: 'function', function: { name: call.function.name, arguments: call.function.arguments } })) };
}
