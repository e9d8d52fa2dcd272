import { z } from 'zod';
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
  for (const key in request) {
    const check = Object.hasOwn(FAST_CHECKS, key) ? FAST_CHECKS[key] : undefined;
    if (!check?.((request as unknown as Record<string, unknown>)[key])) {
      parseInput(chatRequestParamsSchema, request, 'request');
      return;
    }
  }
}
