// Errors
export { CascadeError, HTTP_STATUS_BY_CODE, type CascadeErrorCode, type CascadeErrorOptions } from './errors/cascade-error';
export { toCascadeError, isAbortError, isTimeoutError } from './errors/to-cascade-error';
export { toPublicError } from './errors/public-error';
export { parseConfig, parseInput } from './errors/config-error';
// Model contract
export { messageText, lastUserText, imagePart, type ChatMessage, type ChatRole, type TextContentPart, type ImageContentPart, type FileContentPart, type ContentPart, type ToolCall } from './model/chat-message';
export type { ToolDefinition, ToolChoice } from './model/tool-definition';
export type { ChatRequest, ResponseFormat } from './model/chat-request';
export type { ChatChoice, ChatResult, FinishReason, TokenLogprob } from './model/chat-result';
export type { StreamPart } from './model/stream-part';
export type { ChatModel, CallOptions } from './model/chat-model';
export { ZERO_USAGE, addUsage, type TokenUsage } from './model/token-usage';
// Policy
export { principalSchema, planOf, type Principal } from './policy/principal';
export {
  agentPolicySchema, featureFlagSchema, deprecatedFeatureFlagSchema, policyFeaturesSchema, dropDeprecatedFeatureFlags, rateLimitPolicySchema, budgetPolicySchema, limitsPolicySchema,
  guardActionSchema, guardrailsPolicySchema, isFeatureEnabled, isModelAllowed, isToolAllowed, DEFAULT_QUALITY_TARGET,
  modelAccessSchema, modelAccessAllows, narrowerModelAccess, type ModelAccess,
  type AgentPolicy, type FeatureFlag, type DeprecatedFeatureFlag, type RateLimitPolicy, type BudgetPolicy, type LimitsPolicy, type GuardAction, type GuardrailsPolicy,
} from './policy/agent-policy';
// Quality
export type { QualityValidator, QualityVerdict, QualityInput, QualitySignal, ComplexityVerdict, PartialVerdict } from './quality/quality-validator';
// Pricing and tokens
export { modelPriceSchema, type ModelPrice } from './pricing/model-price';
export { DEFAULT_PRICES, DEFAULT_PRICES_AS_OF } from './pricing/default-prices';
export { createPricing, pricingConfigSchema, DEFAULT_MAX_OUTPUT_TOKENS, type Pricing, type PricingConfig, type CostEstimate } from './pricing/pricing';
export { countTokens, countMessageTokens, EXACT_COUNT_CHARS } from './tokens/count-tokens';
export { estimateTokens, estimateMessageTokens, PREFLIGHT_EXACT_CHARS } from './tokens/estimate-tokens';
export { truncateToTokens, type TruncatedText } from './tokens/truncate-to-tokens';
export { approximateTokens } from './tokens/approximate-tokens';
export { hasExactTokenizer, TOKENIZER_PACKAGE } from './tokens/load-bpe';
// Pipeline
export type {
  CascadeMiddleware, PipelineContext, PipelineMode, EnforcedPolicySection, RequestEstimate, ResolveResult, SettleInfo, Reservation, AdmitResult,
  GuardFinding, GuardVerdict, GuardedStreamPart,
} from './pipeline/middleware';
export type { RequestReport, RequestOutcome, AdmissionRecord, ModelCallRecord, AnswerRecord } from './pipeline/request-report';
export { compliancePolicySchema, enforceCompliance, type CompliancePolicy } from './policy/compliance';
export { retryPolicySchema, resolveRetryPolicy, isTransientModelError, DEFAULT_RETRY_POLICY, type RetryPolicy } from './policy/retry-policy';
// Utilities
export { sleep, withTimeout, throwIfAborted, abortErrorFrom, raceAbort } from './util/abort';
export { timeoutMsSchema, delayMsSchema, safeTimeoutMs, MAX_TIMEOUT_MS } from './util/timeout-ms';
export { seededRandom } from './util/seeded-random';
export { retryDelay, type RetryDelaySettings } from './util/retry-delay';
export { requireOptionalPeer, resolveOptionalPeer, type OptionalPeerOptions } from './util/require-optional-peer';
export { createDefaultValidator, defaultValidatorConfigSchema, type DefaultValidatorConfig } from './quality/default-validator';
// Pipeline and engine
export { createPipeline, type Pipeline, type PipelineInit, type AdmittedRequest, type GuardedToolText } from './pipeline/create-pipeline';
export { mergePolicies } from './policy/merge-policy';
export { createCascadeAgent, cascadeAgentConfigSchema, type CascadeAgent, type CascadeAgentConfig, type CascadeAgentDeps, type RunOptions } from './engine/create-cascade-agent';
export { runOptionsSchema, abortSignalSchema, pipelineModeSchema, isAbortSignal } from './engine/run-options';
export { chatRequestParamsSchema } from './engine/request-params';
export { CascadeSession, type CascadeSessionInit } from './engine/cascade-session';
export { planTiers, type PlannedTier, type TierPlan } from './engine/plan-tiers';
export { adaptiveRoutingOptionsSchema, type AdaptiveRoutingOptions, type AdaptiveRoutingDecision, type AdaptiveSkip } from './engine/adaptive-routing';
export { normalizeInput, type CascadeInput, type PromptInput } from './engine/normalize-input';
export type { CascadeResult, CascadeAttempt, AttemptStatus, CascadeRouting } from './engine/cascade-result';
// Tools and structured output
export { tool, toToolDefinitions, toJsonSchema, type ExecutableTool, type ToolSet, type ToolParameters, type ToolExecutionOptions } from './tools/executable-tool';
export type { CascadeStep, ToolResult } from './tools/cascade-step';
export { runToolLoop, offerTools, type RunStep, type ToolLoopInit } from './tools/run-tool-loop';
export { DEFAULT_MAX_STEPS } from './engine/create-cascade-agent';
export { checkToolCalls, toolCallProblem, type ToolCallCheckContext } from './quality/tool-call-check';
export { checkOutputSchema, isRepairable, parseJsonAnswer } from './quality/output-schema-check';
export { parsePartialJson } from './structured/parse-partial-json';
export type { GenerateObjectOptions, ObjectOptions, ObjectResult, ObjectOf } from './structured/generate-object';
export { objectRequest, parseObject } from './structured/generate-object';
export { repairRequest } from './structured/repair-request';
// Cost accounting (v0.2.0-compatible) and calendar periods
export { createCostTracker, budgetConfigSchema, costTrackerConfigSchema, type CostTracker, type CostTrackerConfig, type BudgetConfig, type BudgetAlert, type CostSummary, type UserCostSummary, type ModelCostSummary } from './cost/cost-tracker';
export { calendarPeriod, assertTimeZone, isValidTimeZone, startOfLocalDay, type CalendarPeriod, type Weekday } from './util/calendar';
// Moderation categories shared by moderators and fakes
export { MODERATION_CATEGORIES, moderationCategorySchema, type ModerationCategory } from './moderation/moderation-category';
// Learning cascade
export { requestKind, ANSWER_KINDS, type AnswerKind } from './learning/answer-kind';
export { compareAnswers, answerEvidence, type Comparison } from './learning/compare-answers';
export { DEFAULT_QUALITY_SHARE, DEFAULT_AGREEMENT_SAMPLES, learningOptionsSchema, learningSignalsSchema, type LearningOptions, type LearningSignals } from './learning/learning-options';
export { agreementOf, type DraftAgreement, type DraftSignals, type SignalName } from './learning/draft-signals';
export type { SignalStats } from './learning/signal-stats';
export { learningStateSchema, type QualityJudge, type LearningStore, type AuditEvent, type LearningDecision, type LearningStats, type DrafterStats, type LearningState } from './learning/learning-types';
export type { LearningFeedback } from './learning/learner';
export { createModelJudge, modelJudgeOptionsSchema, type ModelJudgeOptions } from './learning/model-judge';
export { createMemoryLearningStore } from './learning/memory-learning-store';
export { addLearningStates, diffLearningStates } from './learning/merge-state';
