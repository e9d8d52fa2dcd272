import { z } from 'zod';

/** Every PII entity type the detector supports. Names follow Microsoft Presidio where one exists (`LOCATION` is Presidio's GPE/LOCATION). */
export const PII_ENTITY_TYPES = [
  'EMAIL_ADDRESS',
  'PHONE_NUMBER',
  'CREDIT_CARD',
  'US_SSN',
  'IP_ADDRESS',
  'IBAN_CODE',
  'URL',
  'API_KEY',
  'AWS_ACCESS_KEY',
  'AWS_SECRET_KEY',
  'GITHUB_TOKEN',
  'JWT',
  'PRIVATE_KEY',
  'PERSON',
  'LOCATION',
  'ORGANIZATION',
  'STREET_ADDRESS',
  'DATE_TIME',
] as const;

/**
 * The types found by the trained name model and the address/date scanners rather than by patterns
 * and checksums: less exact (see the README's figures), so they are listed apart.
 */
export const PII_NAME_ENTITY_TYPES = ['PERSON', 'LOCATION', 'ORGANIZATION', 'STREET_ADDRESS', 'DATE_TIME'] as const;

/**
 * The types detected when `entities` is not set: the pattern-and-checksum types. The name, address
 * and date types are opt-in (list them in `entities`, e.g. `[...PII_ENTITY_TYPES]`) because their
 * precision and recall are well below the pattern types' (README figures).
 */
export const PII_DEFAULT_ENTITY_TYPES: readonly PiiEntityType[] = PII_ENTITY_TYPES.filter((type) => !(PII_NAME_ENTITY_TYPES as readonly string[]).includes(type));

/** Schema of one supported entity type. */
export const piiEntityTypeSchema = z.enum(PII_ENTITY_TYPES);

/** One supported PII entity type. */
export type PiiEntityType = z.output<typeof piiEntityTypeSchema>;

/** A detected entity: exact UTF-16 offsets into the scanned text, a confidence and, only when asked, the value. */
export interface PiiMatch {
  type: PiiEntityType;
  /** Inclusive start offset (UTF-16 code units, like `String.prototype.slice`). */
  start: number;
  /** Exclusive end offset. */
  end: number;
  /** Confidence 0..1 after context adjustment. */
  score: number;
  /** Sub-kind without the value, e.g. `openai`, `visa`, `ipv6`, `e164`. */
  detail?: string;
  /** Other entity types merged into this span because they overlapped it. */
  mergedTypes?: readonly PiiEntityType[];
  /** The matched text; present only with `includeValues: true`. */
  value?: string;
}

/** A match as a recognizer proposes it, before context, threshold and merging. */
export interface RawPiiMatch {
  type: PiiEntityType;
  start: number;
  end: number;
  score: number;
  detail?: string;
}
