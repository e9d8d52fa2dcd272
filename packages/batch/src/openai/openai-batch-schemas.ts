import { z } from 'zod';

/** The fields of a `chat.completion` body in a batch output line that the runner reads. */
export const batchChatCompletionSchema = z.looseObject({
  id: z.string().nullish(),
  model: z.string().nullish(),
  choices: z
    .array(z.looseObject({ message: z.looseObject({ content: z.string().nullish(), refusal: z.string().nullish(), tool_calls: z.array(z.unknown()).nullish() }), finish_reason: z.string().nullish() }))
    .min(1),
  usage: z
    .looseObject({
      prompt_tokens: z.number(),
      completion_tokens: z.number(),
      prompt_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
    })
    .nullish(),
});

/** One line of a batch output or error file. */
export const batchOutputLineSchema = z.looseObject({
  id: z.string().nullish(),
  custom_id: z.string(),
  response: z.looseObject({ status_code: z.number(), request_id: z.string().nullish(), body: z.unknown() }).nullish(),
  error: z.looseObject({ code: z.string().nullish(), message: z.string().nullish() }).nullish(),
});
export type BatchOutputLine = z.output<typeof batchOutputLineSchema>;

/** An OpenAI-shaped error body (`{ error: { message } }`). */
export const errorBodySchema = z.looseObject({ error: z.looseObject({ message: z.string().nullish(), code: z.union([z.string(), z.number()]).nullish() }) });
