import { Ajv, type ValidateFunction } from 'ajv';
import type { ToolCall } from '../model/chat-message';
import type { ChatRequest } from '../model/chat-request';
import type { ChatResult } from '../model/chat-result';
import type { ToolDefinition } from '../model/tool-definition';
import { type AgentPolicy, isToolAllowed } from '../policy/agent-policy';
import type { QualitySignal, QualityVerdict } from './quality-validator';

// One Ajv for the process: `strict: false` because providers' schemas carry keywords Ajv does not know.
let ajv: Ajv | undefined;
const byObject = new WeakMap<object, ValidateFunction | Error>();
const byText = new Map<string, ValidateFunction | Error>();
const MAX_CACHED_SCHEMAS = 256;

/**
 * The compiled validator of a tool's parameter schema: cached by object (the same tools reused across
 * requests) and by text (the same tools sent again in a new HTTP body), bounded. An unusable schema is
 * an `Error`.
 */
export function compileSchema(schema: Record<string, unknown>): ValidateFunction | Error {
  const cached = byObject.get(schema);
  if (cached) return cached;
  const text = JSON.stringify(schema);
  let compiled = byText.get(text);
  if (compiled) {
    byText.delete(text);
  } else {
    ajv ??= new Ajv({ strict: false, allErrors: false, validateFormats: false });
    try {
      compiled = ajv.compile(schema);
    } catch (error) {
      compiled = error instanceof Error ? error : new Error(String(error));
    }
    // Ajv keeps every compiled schema in its own cache too: start a fresh instance when ours rolls over.
    if (byText.size >= MAX_CACHED_SCHEMAS) {
      byText.clear();
      ajv = undefined;
    }
  }
  byText.set(text, compiled);
  byObject.set(schema, compiled);
  return compiled;
}

/** What {@link checkToolCalls} needs besides the request and draft. */
export interface ToolCallCheckContext {
  /** The model that drafted the calls (for `policy.toolsByModel`). */
  modelId?: string;
  policy?: AgentPolicy;
}

/**
 * Judges the tool calls of a draft: each calls a tool of the request that the policy allows for its
 * model, its arguments parse as a JSON object and satisfy the tool's parameter schema (Ajv), the
 * request's `toolChoice` is honoured (`required`/a named tool: a call is made, and the named one;
 * `none`: no call). Returns `undefined` when there is nothing tool-related to judge (no calls, and
 * none required): the text validator decides then. A failed verdict has fatal signals and score 0.
 *
 * @example
 * checkToolCalls(request, draft, { modelId: 'gpt-4o-mini', policy })?.passed;
 */
export function checkToolCalls(request: ChatRequest, draft: ChatResult, context: ToolCallCheckContext = {}): QualityVerdict | undefined {
  const calls = draft.toolCalls ?? [];
  const choice = request.toolChoice;
  const required = choice === 'required' || typeof choice === 'object';
  if (calls.length === 0 && !required) return undefined;
  const signals: QualitySignal[] = [];
  if (calls.length === 0) {
    signals.push({ name: 'tool-call-required', impact: -1, fatal: true, detail: typeof choice === 'object' ? `the request requires a call to ${choice.function.name}; the draft answered with text only` : 'the request requires a tool call; the draft answered with text only' });
  }
  if (choice === 'none' && calls.length > 0) signals.push({ name: 'tool-call-forbidden', impact: -1, fatal: true, detail: 'toolChoice is "none" but the draft called a tool' });
  if (typeof choice === 'object' && calls.length > 0 && !calls.some((call) => call.function.name === choice.function.name)) {
    signals.push({ name: 'tool-call-required', impact: -1, fatal: true, detail: `the request requires a call to ${choice.function.name}; the draft called ${calls.map((call) => call.function.name).join(', ')}` });
  }
  if (request.parallelToolCalls === false && calls.length > 1) signals.push({ name: 'tool-call-parallel', impact: -1, fatal: true, detail: `parallelToolCalls is false but the draft made ${calls.length} calls` });
  for (const call of calls) {
    const problem = toolCallProblem(request.tools ?? [], call, context);
    if (problem) signals.push(problem);
  }
  if (signals.length > 0) {
    return { score: 0, passed: false, signals, reason: `rejected tool call: ${signals.map((signal) => signal.detail).join('; ')}` };
  }
  return {
    score: 1,
    passed: true,
    signals: [{ name: 'tool-call-valid', impact: 0, detail: `${calls.length} call(s) to known, allowed tools with valid arguments` }],
    reason: `tool call(s) valid: ${calls.map((call) => call.function.name).join(', ')}`,
  };
}

/** The one problem of a call, or `undefined` when it is valid. */
export function toolCallProblem(tools: readonly ToolDefinition[], call: ToolCall, context: ToolCallCheckContext = {}): QualitySignal | undefined {
  const name = call.function.name;
  const tool = tools.find((candidate) => candidate.function.name === name);
  if (!tool) return { name: 'tool-unknown', impact: -1, fatal: true, detail: `the draft called "${name}", which is not a tool of the request` };
  if (!isToolAllowed(context.policy, name, context.modelId)) {
    return { name: 'tool-not-allowed', impact: -1, fatal: true, detail: `the policy does not allow ${context.modelId ?? 'this model'} to call "${name}"` };
  }
  let args: unknown;
  try {
    args = JSON.parse(call.function.arguments === '' ? '{}' : call.function.arguments);
  } catch {
    return { name: 'tool-arguments-json', impact: -1, fatal: true, detail: `the arguments of "${name}" are not valid JSON` };
  }
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return { name: 'tool-arguments-json', impact: -1, fatal: true, detail: `the arguments of "${name}" are not a JSON object` };
  const schema = tool.function.parameters;
  if (!schema) return undefined;
  const validate = compileSchema(schema);
  if (validate instanceof Error) return { name: 'tool-schema-unusable', impact: 0, detail: `the parameter schema of "${name}" does not compile (${validate.message}); arguments not checked against it` };
  if (validate(args)) return undefined;
  const first = validate.errors?.[0];
  return { name: 'tool-arguments-schema', impact: -1, fatal: true, detail: `the arguments of "${name}" do not match its schema: ${first ? `${first.instancePath || '(root)'} ${first.message ?? 'is invalid'}` : 'invalid'}` };
}
