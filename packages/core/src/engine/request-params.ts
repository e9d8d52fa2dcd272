import { z } from 'zod';
import { CascadeError } from '../errors/cascade-error';
import { parseInput } from '../errors/config-error';
import type { ChatRequest } from '../model/chat-request';

const responseFormatSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text') }),
  z.strictObject({ type: z.literal('json_object') }),
  z.strictObject({
    type: z.literal('json_schema'),
    json_schema: z.strictObject({ name: z.string().min(1), schema: z.record(z.string(), z.unknown()).optional(), strict: z.boolean().optional() }),
  }),
]);

const toolDefinitionSchema = z.strictObject({
  type: z.literal('function'),
  function: z.strictObject({
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'tool names are 1-64 letters, digits, _ or -'),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().optional(),
  }),
});

const toolChoiceSchema = z.union([
  z.enum(['auto', 'none', 'required']),
  z.strictObject({ type: z.literal('function'), function: z.strictObject({ name: z.string().min(1) }) }),
]);

/**
 * The fields of a `ChatRequest` besides `messages` (checked by hand in `normalizeInput`), with OpenAI's
 * ranges. Unknown fields are refused: put provider-specific ones in `providerOptions`.
 */
export const chatRequestParamsSchema = z.strictObject({
  messages: z.unknown(),
  maxOutputTokens: z.number().int().positive().optional(),
  temperature: z.number().min(0).max(2).optional(),
  topP: z.number().min(0).max(1).optional(),
  stop: z.array(z.string()).readonly().optional(),
  seed: z.number().int().optional(),
  responseFormat: responseFormatSchema.optional(),
  tools: z.array(toolDefinitionSchema).readonly().optional(),
  toolChoice: toolChoiceSchema.optional(),
  parallelToolCalls: z.boolean().optional(),
  logprobs: z.boolean().optional(),
  topLogprobs: z.number().int().min(0).max(20).optional(),
  user: z.string().optional(),
  providerOptions: z.record(z.string(), z.unknown()).optional(),
});

const isNumberIn = (value: unknown, min: number, max: number): boolean => typeof value === 'number' && value >= min && value <= max;

/**
 * The same rules as {@link chatRequestParamsSchema} for the common scalar fields, without allocating: a
 * valid request of only these skips the zod parse (this runs on every request). Anything else is parsed.
 */
const FAST_CHECKS: Readonly<Record<string, (value: unknown) => boolean>> = {
  messages: () => true,
  maxOutputTokens: (value) => value === undefined || (Number.isSafeInteger(value) && (value as number) > 0),
  temperature: (value) => value === undefined || isNumberIn(value, 0, 2),
  topP: (value) => value === undefined || isNumberIn(value, 0, 1),
  seed: (value) => value === undefined || Number.isSafeInteger(value),
  logprobs: (value) => value === undefined || typeof value === 'boolean',
  topLogprobs: (value) => value === undefined || (Number.isSafeInteger(value) && isNumberIn(value, 0, 20)),
  user: (value) => value === undefined || typeof value === 'string',
};

/** Throws `INVALID_INPUT` naming the field when a request parameter is wrong (unknown fields included). */
export function checkRequestParams(request: ChatRequest): void {
  checkToolChoice(request);
  for (const key in request) {
    const check = Object.hasOwn(FAST_CHECKS, key) ? FAST_CHECKS[key] : undefined;
    if (!check?.((request as unknown as Record<string, unknown>)[key])) {
      parseInput(chatRequestParamsSchema, request, 'request');
      return;
    }
  }
}

/** A named or `required` tool choice needs tools, and a named one must be among them. */
function checkToolChoice(request: ChatRequest): void {
  const choice = request.toolChoice;
  if (choice === undefined || choice === 'auto' || choice === 'none') return;
  const names = Array.isArray(request.tools) ? request.tools.map((tool) => (tool as { function?: { name?: unknown } }).function?.name) : [];
  if (choice === 'required' && names.length === 0) throw new CascadeError('INVALID_INPUT', 'request.toolChoice is "required" but request.tools is empty: add the tools the model must choose from.');
  if (typeof choice === 'object' && !names.includes(choice.function?.name)) {
    throw new CascadeError('INVALID_INPUT', `request.toolChoice names the tool "${String(choice.function?.name)}", which is not in request.tools (${names.join(', ') || 'none'}).`);
  }
}
