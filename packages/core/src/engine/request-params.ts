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

/** Throws `INVALID_INPUT` naming the field when a request parameter is wrong; a request of only `messages` skips the parse. */
export function checkRequestParams(request: ChatRequest): void {
  for (const key in request) {
    if (key !== 'messages') {
      parseInput(chatRequestParamsSchema, request, 'request');
      return;
    }
  }
}
