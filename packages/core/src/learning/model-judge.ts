import { z } from 'zod';
import { CascadeError } from '../errors/cascade-error';
import { parseConfig } from '../errors/config-error';
import { lastUserText } from '../model/chat-message';
import type { ChatModel } from '../model/chat-model';
import type { Pricing } from '../pricing/pricing';
import type { QualityJudge } from './learning-types';

export const modelJudgeOptionsSchema = z.strictObject({
  /** The judging model (usually the strongest tier). */
  model: z.custom<ChatModel>((value) => typeof (value as ChatModel | undefined)?.doGenerate === 'function', { message: 'model must implement ChatModel' }),
  /** Prices the judge's calls; without it they count as free. */
  pricing: z.custom<Pricing>((value) => typeof (value as Pricing | undefined)?.costOf === 'function', { message: 'pricing must come from createPricing()' }).optional(),
  /** Longest question or answer passed to the judge, in characters (the rest is cut). @default 6000 */
  maxChars: z.number().int().positive().default(6000),
});
export type ModelJudgeOptions = z.input<typeof modelJudgeOptionsSchema>;

const SCORES = /"a"\s*:\s*(\d+(?:\.\d+)?)[\s\S]*?"b"\s*:\s*(\d+(?:\.\d+)?)/;

const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max)}\n[…cut]` : text);

/**
 * A judge that asks an LLM to score two answers to the same question from 0 to 10 (answer A the
 * draft, B the reference), priced by `pricing`. An unreadable verdict is a `MODEL_CALL_FAILED` error,
 * which the learner swallows into its stats (no label rather than a guessed one).
 *
 * @example
 * const agent = createCascadeAgent({ models: [cheap, strong], learning: { judge: createModelJudge({ model: strong, pricing }) } });
 */
export function createModelJudge(options: ModelJudgeOptions): QualityJudge {
  const config = parseConfig(modelJudgeOptionsSchema, options, 'createModelJudge options');
  const model = config.model as ChatModel;
  return {
    async judge({ request, draft, reference, abortSignal }) {
      const question = clip(lastUserText(request.messages), config.maxChars);
      const prompt =
        'You are grading two answers to the same question for correctness, helpfulness and completeness.\n' +
        `Question:\n${question}\n\nAnswer A:\n${clip(draft, config.maxChars)}\n\nAnswer B:\n${clip(reference, config.maxChars)}\n\n` +
        'Reply with JSON only: {"a": <score 0-10 of answer A>, "b": <score 0-10 of answer B>}';
      const result = await model.doGenerate({ messages: [{ role: 'user', content: prompt }], maxOutputTokens: 30, temperature: 0 }, abortSignal ? { abortSignal } : undefined);
      const costUsd = config.pricing ? config.pricing.costOf(model.modelId, result.usage) : 0;
      const match = SCORES.exec(result.text);
      if (!match) throw new CascadeError('MODEL_CALL_FAILED', `The judge ${model.modelId} gave no readable scores (${result.text.slice(0, 80)}). Use a model that follows JSON instructions.`, { details: { costUsd } });
      const scale = (raw: string): number => Math.min(1, Math.max(0, Number(raw) / 10));
      return { draftScore: scale(match[1]!), referenceScore: scale(match[2]!), costUsd };
    },
  };
}
