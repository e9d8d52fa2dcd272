// PII
export { PII_ENTITY_TYPES, piiEntityTypeSchema, type PiiEntityType, type PiiMatch } from './pii/pii-entity';
export { piiConfigSchema, type PiiConfig, type ResolvedPiiConfig } from './pii/pii-config';
export { createPiiDetector, type PiiDetector } from './pii/pii-detector';
export { createPiiRedactor, maskValue, type PiiRedactor, type PiiRedaction } from './pii/pii-redactor';
export { mergeMatches } from './pii/merge-matches';
export { luhnValid, ibanChecksumValid } from './pii/checksums';
