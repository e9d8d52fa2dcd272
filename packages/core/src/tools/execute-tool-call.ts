import type { ToolCall } from '../model/chat-message';
import type { ChatMessage } from '../model/chat-message';
import type { ToolDefinition } from '../model/tool-definition';
import type { GuardedToolText } from '../pipeline/create-pipeline';
import type { GuardFinding } from '../pipeline/middleware';
import { type AgentPolicy, isToolAllowed } from '../policy/agent-policy';
import { toolCallProblem } from '../quality/tool-call-check';
import { abortErrorFrom, raceAbort } from '../util/abort';
import type { ToolResult } from './cascade-step';
import { type ToolSet, isZodSchema } from './executable-tool';

/** What running one tool call needs from its step. */
export interface ToolCallContext {
  tools: ToolSet;
  definitions: readonly ToolDefinition[];
  policy: AgentPolicy;
  /** The model whose answer made the call (for `policy.toolsByModel`). */
  modelId: string;
  messages: readonly ChatMessage[];
  signal: AbortSignal | undefined;
  guardArguments(call: ToolCall): Promise<GuardedToolText>;
  guardResult(call: ToolCall, content: string): Promise<GuardedToolText>;
}

const MAX_ERROR_CHARS = 500;

/**
 * Runs one tool call and returns what the model reads back. Never throws for the tool's own failures:
 * an unknown or forbidden tool, invalid arguments, a guard block and a throwing `execute` all become an
 * error result. Only an abort (or timeout) of the request throws, and it stops waiting for the tool.
 */
export async function executeToolCall(call: ToolCall, context: ToolCallContext): Promise<ToolResult> {
  const name = call.function.name;
  const findings: GuardFinding[] = [];
  const failWith = (error: string): ToolResult => ({ toolCallId: call.id, toolName: name, error, content: JSON.stringify({ error }), guardrails: findings });
  const tool = Object.hasOwn(context.tools, name) ? context.tools[name] : undefined;
  if (!tool?.execute) return failWith(`Unknown tool "${name}".`);
  // Checked again here: the strongest tier's answer is not judged, and a blocked tool must never run.
  if (!isToolAllowed(context.policy, name, context.modelId)) return failWith(`The tool "${name}" is not allowed by the policy.`);
  const problem = toolCallProblem(context.definitions, call, { policy: context.policy, modelId: context.modelId });
  if (problem) return failWith(`Invalid call: ${problem.detail ?? problem.name}. Fix the arguments and call again.`);
  const guardedArguments = await context.guardArguments(call);
  findings.push(...guardedArguments.findings);
  if (guardedArguments.blocked) return failWith(`The call was blocked by a guardrail (${guardedArguments.blocked}).`);
  let args: unknown = JSON.parse(guardedArguments.text === '' ? '{}' : guardedArguments.text);
  if (isZodSchema(tool.parameters)) {
    const parsed = tool.parameters.safeParse(args);
    if (!parsed.success) return failWith(`Invalid arguments: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}`);
    args = parsed.data;
  }
  let output: unknown;
  try {
    const pending = Promise.resolve().then(() => tool.execute!(args, { toolCallId: call.id, messages: context.messages, ...(context.signal ? { abortSignal: context.signal } : {}) }));
    output = await raceAbort(pending, context.signal, `The tool "${name}"`);
  } catch (error) {
    if (context.signal?.aborted) throw abortErrorFrom(context.signal, `The tool "${name}"`);
    const message = error instanceof Error ? error.message : String(error);
    return failWith(`The tool "${name}" failed: ${message.slice(0, MAX_ERROR_CHARS)}`);
  }
  const content = typeof output === 'string' ? output : (JSON.stringify(output) ?? 'null');
  const guardedResult = await context.guardResult(call, content);
  findings.push(...guardedResult.findings);
  if (guardedResult.blocked) {
    return { toolCallId: call.id, toolName: name, output, content: JSON.stringify({ error: `The tool result was withheld by a guardrail (${guardedResult.blocked}).` }), guardrails: findings };
  }
  return { toolCallId: call.id, toolName: name, output, content: guardedResult.text, guardrails: findings };
}
