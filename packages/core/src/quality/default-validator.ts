import { z } from 'zod';
import { parseConfig } from '../errors/config-error';
import type { QualityValidator } from './quality-validator';

/** Config of the default validator. (Being built: see issue 2.) */
export const defaultValidatorConfigSchema = z.object({}).loose();
export type DefaultValidatorConfig = z.input<typeof defaultValidatorConfigSchema>;

/** The default quality validator: judges a draft from the draft itself. */
export function createDefaultValidator(config: DefaultValidatorConfig = {}): QualityValidator {
  parseConfig(defaultValidatorConfigSchema, config, 'default validator config');
  return {
    name: 'default',
    validate: ({ draft, threshold }) => {
      const empty = draft.text.trim().length === 0;
      const truncated = draft.finishReason === 'length';
      const score = empty || truncated ? 0 : 0.8;
      return { score, passed: score >= threshold, signals: [], reason: empty ? 'empty draft' : truncated ? 'truncated draft' : 'ok' };
    },
  };
}
