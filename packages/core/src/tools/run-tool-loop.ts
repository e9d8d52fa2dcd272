import type { CascadeResult } from '../engine/cascade-result';
import type { CascadeInput } from '../engine/normalize-input';
import type { CascadeSession } from '../engine/cascade-session';
import type { RunOptions } from '../engine/run-options';
import type { ChatMessage } from '../model/chat-message';
import type { ChatRequest } from '../model/chat-request';
import { addUsage, ZERO_USAGE } from '../model/token-usage';
import type { GuardFinding } from '../pipeline/middleware';
import { isToolAllowed } from '../policy/agent-policy';
import type { CascadeStep, ToolResult } from './cascade-step';
import { executeToolCall } from './execute-tool-call';
import { type ToolSet, toToolDefinitions } from './executable-tool';

/**
 * The input as a request that offers the tool set too (its definitions replace same-named ones of
 * `request.tools`), so `toolChoice` can name a tool of the set. Check it with `normalizeInput`.
 */
export function offerTools(input: CascadeInput, tools: ToolSet): ChatRequest {
  const request: ChatRequest = typeof input === 'string' ? { messages: [{ role: 'user', content: input }] } : Array.isArray(input) ? { messages: input as readonly ChatMessage[] } : (input as ChatRequest);
  const own = (request.tools ?? []).filter((definition) => !Object.hasOwn(tools, definition?.function?.name));
  return { ...request, tools: [...own, ...toToolDefinitions(tools)] };
}

/** One cascade through the pipeline: its result, and its session (finished: reservations settled). */
export type RunStep = (request: ChatRequest, options: RunOptions) => Promise<{ result: CascadeResult; session: CascadeSession }>;

/** What {@link runToolLoop} needs. */
export interface ToolLoopInit {
  request: ChatRequest;
  tools: ToolSet;
  maxSteps: number;
  requestId: string;
  /** Options of every step (the loop's signal joined in; no `timeoutMs`: the loop owns it). */
  options: RunOptions;
  signal: AbortSignal | undefined;
  runStep: RunStep;
  /** Sees each step's tool results as soon as they are in (a streaming driver emits them). */
  onToolResults?: (step: CascadeStep) => void;
}

/**
 * The tool loop: each step is one full cascade (resolve, reserve, guard input, draft, validate,
 * escalate, guard output, settle), so limits reserve and settle per model step and drafted tool
 * calls are judged like answers. The step's tool calls then run (in parallel when there are several),
 * their results go back as `tool` messages, and the next step starts, up to `maxSteps` steps.
 * It ends on an answer without tool calls, on a call to a tool without `execute` (returned to the
 * caller), or at `maxSteps` (with a warning and the unanswered calls in `result.toolCalls`).
 */
export async function runToolLoop(init: ToolLoopInit): Promise<CascadeResult> {
  const definitions = [...(init.request.tools ?? []).filter((tool) => !Object.hasOwn(init.tools, tool.function.name)), ...toToolDefinitions(init.tools)];
  const messages: ChatMessage[] = [...init.request.messages];
  const steps: CascadeStep[] = [];
  const results: CascadeResult[] = [];
  const toolFindings: GuardFinding[] = [];
  for (let index = 0; index < init.maxSteps; index++) {
    // Only the first step may be forced to call a tool; later ones must be free to answer.
    const toolChoice = index === 0 ? init.request.toolChoice : init.request.toolChoice === 'none' ? 'none' : 'auto';
    const request: ChatRequest = { ...init.request, messages: [...messages], tools: definitions, ...(toolChoice !== undefined ? { toolChoice } : {}) };
    const requestId = index === 0 ? init.requestId : `${init.requestId}:${index}`;
    const { result, session } = await init.runStep(request, { ...init.options, requestId });
    results.push(result);
    const policy = session.context.policy;
    const calls = result.toolCalls ?? [];
    const step: CascadeStep = {
      index, requestId, text: result.text, toolCalls: calls, toolResults: [], modelId: result.modelId, tier: result.tier,
      finishReason: result.finishReason, attempts: result.attempts, usage: result.usage, costUsd: result.costUsd, escalated: result.escalated,
    };
    steps.push(step);
    if (calls.length === 0) return combine(results, steps, messages, toolFindings, []);
    messages.push({ role: 'assistant', content: result.text, tool_calls: calls });
    if (calls.some((call) => !init.tools[call.function.name]?.execute && isToolAllowed(policy, call.function.name, result.modelId))) {
      // A tool the caller runs: hand the calls back.
      return combine(results, steps, messages, toolFindings, []);
    }
    if (index === init.maxSteps - 1) {
      return combine(results, steps, messages, toolFindings, [`The tool loop stopped at maxSteps (${init.maxSteps}) with ${calls.length} tool call(s) unanswered; raise maxSteps or answer them from result.toolCalls.`]);
    }
    const toolResults: ToolResult[] = await Promise.all(
      calls.map((call) =>
        executeToolCall(call, {
          tools: init.tools, definitions, policy, modelId: result.modelId, messages, signal: init.signal,
          guardArguments: (guarded) => session.guardToolArguments(guarded),
          guardResult: (guarded, content) => session.guardToolResult(guarded, content),
        }),
      ),
    );
    step.toolResults = toolResults;
    init.onToolResults?.(step);
    for (const toolResult of toolResults) {
      toolFindings.push(...toolResult.guardrails);
      messages.push({ role: 'tool', tool_call_id: toolResult.toolCallId, content: toolResult.content });
    }
  }
  return combine(results, steps, messages, toolFindings, []);
}

function combine(results: readonly CascadeResult[], steps: readonly CascadeStep[], messages: ChatMessage[], toolFindings: readonly GuardFinding[], warnings: readonly string[]): CascadeResult {
  const last = results[results.length - 1]!;
  const usage = results.reduce((sum, result) => addUsage(sum, result.usage), ZERO_USAGE);
  const costUsd = results.reduce((sum, result) => sum + result.costUsd, 0);
  const baselineCostUsd = results.reduce((sum, result) => sum + result.baselineCostUsd, 0);
  const calls = last.toolCalls ?? [];
  if (calls.length === 0) messages.push({ role: 'assistant', content: last.text });
  return {
    ...last,
    requestId: results[0]!.requestId,
    attempts: results.flatMap((result) => result.attempts),
    usage,
    costUsd,
    baselineCostUsd,
    savings: baselineCostUsd > 0 ? 1 - costUsd / baselineCostUsd : 0,
    latencyMs: results.reduce((sum, result) => sum + result.latencyMs, 0),
    escalated: results.some((result) => result.escalated),
    guardrails: [...results.flatMap((result) => result.guardrails), ...toolFindings],
    warnings: [...results.flatMap((result) => result.warnings), ...warnings],
    steps,
    messages,
  };
}
