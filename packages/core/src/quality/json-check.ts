import type { ChatRequest } from '../model/chat-request';
import { compileSchema } from './tool-call-check';

/** How strongly the request asks for JSON. */
export type JsonExpectation = 'none' | 'prompted' | 'required';

const ASKS_FOR_JSON =
  /\b(?:(?:in|as|into|return|returns|respond with|reply with|output|outputs|produce|give me|format(?:ted)? as|provide) (?:a |an |the |valid |only )?(?:valid )?json\b|json (?:format|object|array|string|output|response)\b)/i;

/**
 * `required` when the request sets `responseFormat` to `json_object` or `json_schema`; `prompted`
 * when the last user message asks for JSON in words ("return the result as JSON").
 */
export function jsonExpectation(request: ChatRequest, prompt: string): JsonExpectation {
  const format = request.responseFormat?.type;
  if (format === 'json_object' || format === 'json_schema') return 'required';
  const tail = prompt.length > 4000 ? prompt.slice(prompt.length - 4000) : prompt;
  return ASKS_FOR_JSON.test(tail) ? 'prompted' : 'none';
}

/** The JSON payload of an answer: the whole text, a fenced ```json block, or the outermost braces. */
export function jsonCandidate(text: string, strict: boolean): string | undefined {
  const trimmed = text.trim();
  const first = trimmed.charCodeAt(0);
  if (first === 123 || first === 91) return trimmed;
  if (strict) return trimmed;
  const fence = trimmed.indexOf('```');
  if (fence >= 0) {
    const bodyStart = trimmed.indexOf('\n', fence);
    const close = bodyStart >= 0 ? trimmed.indexOf('```', bodyStart) : -1;
    if (bodyStart >= 0 && close > bodyStart) return trimmed.slice(bodyStart + 1, close).trim();
  }
  const open = trimmed.search(/[{[]/);
  if (open < 0) return undefined;
  const closer = trimmed.charCodeAt(open) === 123 ? '}' : ']';
  const close = trimmed.lastIndexOf(closer);
  return close > open ? trimmed.slice(open, close + 1) : undefined;
}

/** What {@link checkJson} found. */
export interface JsonReport {
  valid: boolean;
  detail?: string;
}

/**
 * Checks that the answer holds valid JSON and, for `json_schema`, that it satisfies the schema (Ajv).
 * `required` JSON must be the whole answer (after trimming); `prompted` JSON may sit in a fence.
 */
export function checkJson(request: ChatRequest, text: string, expectation: JsonExpectation): JsonReport {
  const candidate = jsonCandidate(text, expectation === 'required');
  if (candidate === undefined) return { valid: false, detail: 'no JSON found' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(candidate);
  } catch (error) {
    return { valid: false, detail: error instanceof Error ? error.message.slice(0, 100) : 'unparseable' };
  }
  const format = request.responseFormat;
  if (format?.type === 'json_object' && (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))) {
    return { valid: false, detail: 'json_object asked, got another JSON value' };
  }
  if (format?.type === 'json_schema' && format.json_schema.schema) {
    const validate = compileSchema(format.json_schema.schema);
    if (!(validate instanceof Error) && !validate(parsed)) {
      const first = validate.errors?.[0];
      return { valid: false, detail: `does not match the schema: ${first ? `${first.instancePath || '(root)'} ${first.message ?? 'is invalid'}` : 'invalid'}` };
    }
  }
  return { valid: true };
}
