import { z } from 'zod';

/** One recorded response of one model. Exactly the format of ../shared/data/README.md, plus recorder fields. */
export const traceResponseSchema = z.object({
  text: z.string(),
  /** Label: the answer is correct (exact-answer sets). */
  correct: z.boolean().optional(),
  /** Label: judged quality 0..1 (open-ended sets). */
  score: z.number().min(0).max(1).optional(),
  inputTokens: z.number().int().nonnegative().optional(),
  outputTokens: z.number().int().nonnegative().optional(),
  costUsd: z.number().nonnegative().optional(),
  latencyMs: z.number().nonnegative().optional(),
  finishReason: z.string().optional(),
  category: z.string().optional(),
});
export type TraceResponse = z.output<typeof traceResponseSchema>;

/** One query with the recorded answers of one or more models. */
export const traceSchema = z.object({
  id: z.string().min(1),
  dataset: z.string().optional(),
  prompt: z.string(),
  /** Optional system prompt the query was asked with. */
  system: z.string().optional(),
  reference: z.string().optional(),
  category: z.string().optional(),
  responses: z.record(z.string().min(1), traceResponseSchema),
});
export type Trace = z.output<typeof traceSchema>;

/** The `X.models.json` beside a trace file: price and tier of each model. */
export const traceModelsSchema = z.object({
  models: z.record(
    z.string().min(1),
    z.object({
      inputUsdPerMTok: z.number().nonnegative(),
      outputUsdPerMTok: z.number().nonnegative(),
      tier: z.enum(['cheap', 'strong']).or(z.string()),
    }),
  ),
  source: z.string().optional(),
  license: z.string().optional(),
  label: z.string().optional(),
});
export type TraceModels = z.output<typeof traceModelsSchema>;
