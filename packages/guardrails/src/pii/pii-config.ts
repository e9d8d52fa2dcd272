import { guardActionSchema } from '@cascade/core';
import { z } from 'zod';
import { piiEntityTypeSchema } from './pii-entity';

/** Configuration of PII detection and redaction. Every field is optional. */
export const piiConfigSchema = z.strictObject({
  /**
   * Entity types to detect. @default the pattern-and-checksum types (`PII_DEFAULT_ENTITY_TYPES`);
   * names, addresses and dates (`PII_NAME_ENTITY_TYPES`) only when listed.
   */
  entities: z.array(piiEntityTypeSchema).optional(),
  /** Action for every entity type without its own entry in `actions`. @default 'redact' */
  action: guardActionSchema.default('redact'),
  /** Per-entity-type actions, e.g. `{ CREDIT_CARD: 'block', EMAIL_ADDRESS: 'mask' }`. */
  actions: z.partialRecord(piiEntityTypeSchema, guardActionSchema).default({}),
  /** Minimum confidence (after context) for a candidate to count. @default 0.5 */
  minScore: z.number().min(0).max(1).default(0.5),
  /** Placeholder of the `redact` action; `{type}` becomes the entity type. @default '[{type}]' */
  placeholder: z.string().default('[{type}]'),
  /** The `mask` action: replaces letters and digits with `char`, keeping the last `keepLast` of them. */
  mask: z
    .object({
      /** @default '*' */
      char: z.string().length(1).default('*'),
      /** @default 4 */
      keepLast: z.number().int().min(0).max(8).default(4),
    })
    .prefault({}),
  /**
   * Salt of the `hash` action (salted SHA-256, first 16 hex chars). Required when any action is
   * `hash`: keep it secret and stable so hashes can be joined across requests and replicas.
   */
  hashSalt: z.string().min(16, 'hashSalt must be at least 16 characters').optional(),
  /** Put the matched text in `PiiMatch.value` (never in findings). Only for debugging. @default false */
  includeValues: z.boolean().default(false),
  /** Characters left and right of a candidate searched for context words. @default { before: 48, after: 20 } */
  contextWindow: z
    .object({ before: z.number().int().min(0).max(256).default(48), after: z.number().int().min(0).max(64).default(20) })
    .prefault({}),
});

/** PII configuration as callers write it. */
export type PiiConfig = z.input<typeof piiConfigSchema>;
/** PII configuration after defaults. */
export type ResolvedPiiConfig = z.output<typeof piiConfigSchema>;
