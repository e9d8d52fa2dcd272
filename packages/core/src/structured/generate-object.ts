import type { z } from 'zod';
import { CascadeError } from '../errors/cascade-error';
import type { CascadeResult } from '../engine/cascade-result';
import type { CascadeInput } from '../engine/normalize-input';
import { normalizeInput } from '../engine/normalize-input';
import type { RunOptions } from '../engine/run-options';
import type { ChatRequest } from '../model/chat-request';
import { parseJsonAnswer } from '../quality/output-schema-check';
import { compileSchema } from '../quality/tool-call-check';
import { isZodSchema, toJsonSchema } from '../tools/executable-tool';

/** What `agent.generateObject` takes besides the run options. */
export interface ObjectOptions<Schema extends z.ZodType | Record<string, unknown>> {
  /** A zod schema (the object comes back typed and parsed by it) or a JSON schema. */
  schema: Schema;
  /** The schema's name for the provider. @default 'result' */
  schemaName?: string;
  /** Ask the provider to constrain the answer to the schema (OpenAI structured outputs needs every property required and `additionalProperties: false`). @default false */
  strict?: boolean;
}

/** The typed object of a schema: `z.output` of a zod schema, `unknown` for a JSON schema. */
export type ObjectOf<Schema> = Schema extends z.ZodType ? z.output<Schema> : unknown;

/** What `agent.generateObject` returns. */
export interface ObjectResult<T> {
  /** The answer, parsed and validated. */
  object: T;
  /** The cascade result (its `text` is the JSON the model wrote). */
  result: CascadeResult;
}

/** The request of a structured-output call: the input with `responseFormat: json_schema`. */
export function objectRequest(input: CascadeInput, options: ObjectOptions<z.ZodType | Record<string, unknown>>): ChatRequest {
  const request = normalizeInput(input);
  return {
    ...request,
    responseFormat: {
      type: 'json_schema',
      json_schema: { name: options.schemaName ?? 'result', schema: toJsonSchema(options.schema), ...(options.strict !== undefined ? { strict: options.strict } : {}) },
    },
  };
}

/**
 * Parses and validates a structured-output answer. Throws `OUTPUT_INVALID` (with the text in
 * `details`) when even the strongest tier's answer, after its repair, does not satisfy the schema.
 */
export function parseObject<Schema extends z.ZodType | Record<string, unknown>>(result: CascadeResult, schema: Schema): ObjectOf<Schema> {
  const invalid = (detail: string, cause?: unknown): CascadeError =>
    new CascadeError('OUTPUT_INVALID', `The answer of ${result.modelId} does not satisfy the schema: ${detail}. Simplify the schema, describe its fields, or add a stronger model.`, { cause, details: { text: result.text.slice(0, 2000), modelId: result.modelId, costUsd: result.costUsd } });
  const parsed = parseJsonAnswer(result.text);
  if (!parsed.ok) throw invalid(parsed.detail);
  if (isZodSchema(schema)) {
    const checked = schema.safeParse(parsed.value);
    if (!checked.success) throw invalid(checked.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; '), checked.error);
    return checked.data as ObjectOf<Schema>;
  }
  const validate = compileSchema(schema as Record<string, unknown>);
  if (validate instanceof Error) throw new CascadeError('INVALID_INPUT', `The JSON schema does not compile: ${validate.message}`, { cause: validate });
  if (!validate(parsed.value)) throw invalid(`${validate.errors?.[0]?.instancePath || '(root)'} ${validate.errors?.[0]?.message ?? 'is invalid'}`);
  return parsed.value as ObjectOf<Schema>;
}

/** Options of `agent.generateObject`: run options and the schema. */
export type GenerateObjectOptions<Schema extends z.ZodType | Record<string, unknown>> = RunOptions & ObjectOptions<Schema>;
