// PII
export { PII_DEFAULT_ENTITY_TYPES, PII_ENTITY_TYPES, PII_NAME_ENTITY_TYPES, piiEntityTypeSchema, type PiiEntityType, type PiiMatch } from './pii/pii-entity';
export { PII_CONTACT_ENTITY_TYPES, PII_DEFAULT_ACTIONS, type PiiDirection } from './pii/direction-defaults';
export { piiConfigSchema, type PiiConfig, type ResolvedPiiConfig } from './pii/pii-config';
export { createPiiDetector, type PiiDetector } from './pii/pii-detector';
export { createPiiRedactor, maskValue, type PiiRedactor, type PiiRedaction } from './pii/pii-redactor';
export { mergeMatches } from './pii/merge-matches';
export { luhnValid, ibanChecksumValid } from './pii/checksums';
// Streaming
export { redactStream, streamRedactorConfigSchema, type StreamRedactorConfig, type RedactStreamOptions } from './stream/stream-redactor';
export {
  moderateStream, moderationFindings, streamModeratorConfigSchema, type StreamModeratorConfig, type StreamModerationSettings, type ModerateStreamOptions,
} from './stream/stream-moderator';
// Moderation
export { MODERATION_CATEGORIES, moderationCategorySchema, type ModerationCategory } from './moderation/moderation-category';
export type { Moderator, ModerationResult, ModerateOptions } from './moderation/moderator';
export { createLocalModerator, moderateLocally, lexiconModeration, localModeratorConfigSchema, type LocalModeratorConfig } from './moderation/local-moderator';
export { withModerationFallback } from './moderation/with-moderation-fallback';
// Prompt injection
export type { InjectionDetector, InjectionVerdict, InjectionSignal, InjectionInput, DetectInjectionOptions } from './injection/injection-detector';
export {
  createHeuristicInjectionDetector, heuristicInjectionConfigSchema, type HeuristicInjectionConfig, type HeuristicInjectionDetector,
} from './injection/heuristic-injection-detector';
export {
  createClassifierInjectionDetector, classifierInjectionConfigSchema, type ClassifierInjectionConfig, type ClassifierInjectionDetector,
} from './injection/classifier-injection-detector';
export {
  createModelInjectionDetector, modelInjectionConfigSchema, DEFAULT_INJECTION_CLASSIFIER_INSTRUCTIONS, type ModelInjectionConfig, type ModelInjectionDetector,
} from './injection/model-injection-detector';
export {
  combineInjectionDetectors, combineInjectionConfigSchema, DETECTOR_UNAVAILABLE_SIGNAL, type CombineInjectionConfig, type CombinedInjectionDetector,
} from './injection/combine-detectors';
// Trained classifiers (weights shipped in the package, decoded on first use)
export { moderationProbabilities, moderationModelScores, injectionProbability, type ModerationModelScores } from './classifier/shipped-classifiers';
// Middleware
export {
  createGuardrailsMiddleware, guardrailsMiddlewareConfigSchema, type GuardrailsMiddlewareConfig, type GuardrailsMiddlewareDependencies,
} from './middleware/guardrails-middleware';
