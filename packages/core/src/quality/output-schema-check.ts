import type { ChatRequest } from '../model/chat-request';
import type { ChatResult } from '../model/chat-result';
import { jsonCandidate } from './json-check';
import type { QualityVerdict } from './quality-validator';
import { compileSchema } from './tool-call-check';

/** The JSON value of an answer to a `json_object`/`json_schema` request, or why there is none. */
export function parseJsonAnswer(text: string): { ok: true; value: unknown } | { ok: false; detail: string } {
  // Tolerate a ```json fence: models add one even when told not to, and the value is still usable.
  const candidate = jsonCandidate(text, false);
  if (candidate === undefined) return { ok: false, detail: 'the answer holds no JSON' };
  try {
    return { ok: true, value: JSON.parse(candidate) as unknown };
  } catch (error) {
    return { ok: false, detail: `the answer is not valid JSON (${error instanceof Error ? error.message.slice(0, 80) : 'unparseable'})` };
  }
}

/**
 * Checks an answer against the request's `responseFormat`: `json_object` must be a JSON object,
 * `json_schema` must satisfy its schema (Ajv, every keyword). `undefined` when the request asks for
 * no JSON, or when the answer is a tool call. A failed verdict has one fatal `output-schema` signal,
 * which the engine answers with one repair on the same tier before it escalates.
 *
 * @example
 * checkOutputSchema(request, draft)?.passed;
 */
export function checkOutputSchema(request: ChatRequest, draft: ChatResult): QualityVerdict | undefined {
  const format = request.responseFormat;
  if (!format || format.type === 'text' || (draft.toolCalls && draft.toolCalls.length > 0)) return undefined;
  const fail = (detail: string): QualityVerdict => ({ score: 0, passed: false, signals: [{ name: 'output-schema', impact: -1, fatal: true, detail }], reason: `structured output rejected: ${detail}` });
  const parsed = parseJsonAnswer(draft.text);
  if (!parsed.ok) return fail(parsed.detail);
  if (format.type === 'json_object') {
    return parsed.value !== null && typeof parsed.value === 'object' && !Array.isArray(parsed.value) ? undefined : fail('json_object asked, got another JSON value');
  }
  const schema = format.json_schema.schema;
  if (!schema) return undefined;
  const validate = compileSchema(schema);
  if (validate instanceof Error) return undefined;
  if (validate(parsed.value)) return undefined;
  const first = validate.errors?.[0];
  return fail(`the JSON does not match the schema "${format.json_schema.name}": ${first ? `${first.instancePath || '(root)'} ${first.message ?? 'is invalid'}` : 'invalid'}`);
}

/** True when a verdict failed only on the output schema (the case a repair can fix). */
export function isRepairable(verdict: QualityVerdict): boolean {
  return !verdict.passed && verdict.signals.some((signal) => signal.name === 'output-schema');
}
