import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { CascadeError } from '../errors/cascade-error';
import { parseConfig } from '../errors/config-error';
import { isAbortError, toCascadeError } from '../errors/to-cascade-error';
import type { ChatModel } from '../model/chat-model';
import type { ChatResult } from '../model/chat-result';
import type { ChatRequest } from '../model/chat-request';
import { type AdmittedRequest, type Pipeline, createPipeline, outcomeOf } from '../pipeline/create-pipeline';
import { ZERO_USAGE } from '../model/token-usage';
import type { CascadeMiddleware } from '../pipeline/middleware';
import { enforcedSections, unenforcedPolicyMessages } from '../pipeline/unenforced-policy';
import { type AgentPolicy, DEFAULT_QUALITY_TARGET, agentPolicySchema, isFeatureEnabled } from '../policy/agent-policy';
import { type Pricing, createPricing } from '../pricing/pricing';
import { modelPriceSchema } from '../pricing/model-price';
import { resolveRetryPolicy } from '../policy/retry-policy';
import { createDefaultValidator } from '../quality/default-validator';
import { checkOutputSchema, isRepairable } from '../quality/output-schema-check';
import type { QualityValidator, QualityVerdict } from '../quality/quality-validator';
import { withTimeout } from '../util/abort';
import { requestKind } from '../learning/answer-kind';
import { Learner, type LearningFeedback } from '../learning/learner';
import { DEFAULT_QUALITY_SHARE, learningOptionsSchema } from '../learning/learning-options';
import type { LearningState, LearningStats } from '../learning/learning-types';
import { RequestLearning } from '../learning/request-learning';
import type { DraftAgreement } from '../learning/draft-signals';
import type { TokenUsage } from '../model/token-usage';
import { adaptiveRoutingOptionsSchema, createDraftAcceptanceStats } from './adaptive-routing';
import type { CascadeAttempt, CascadeResult, CascadeRouting } from './cascade-result';
import { CascadeSession } from './cascade-session';
import { type CascadeInput, normalizeInput } from './normalize-input';
import { type PlannedTier, type TierPlan, planTiers } from './plan-tiers';
import { type RunOptions, parseRunOptions } from './run-options';

export type { RunOptions } from './run-options';
import { offerTools, runToolLoop } from '../tools/run-tool-loop';
import { type GenerateObjectOptions, type ObjectOf, type ObjectResult, objectRequest, parseObject } from '../structured/generate-object';
import { repairRequest } from '../structured/repair-request';

/** Steps of a tool loop when `maxSteps` is not given. */
export const DEFAULT_MAX_STEPS = 5;
import { timeoutMsSchema } from '../util/timeout-ms';

const isChatModel = (value: unknown): value is ChatModel =>
  typeof value === 'object' && value !== null && (value as ChatModel).specificationVersion === 'v1' &&
  typeof (value as ChatModel).modelId === 'string' && typeof (value as ChatModel).doGenerate === 'function' && typeof (value as ChatModel).doStream === 'function';

export const cascadeAgentConfigSchema = z.strictObject({
  /** Tiers, cheapest first: 2..N `ChatModel`s (one works, but then nothing can escalate). */
  models: z
    .array(z.custom<ChatModel>(isChatModel, { message: 'each model must implement ChatModel v1 (specificationVersion "v1", modelId, doGenerate, doStream)' }))
    .min(1, 'configure at least one model, cheapest first'),
  /** Judges drafts. @default createDefaultValidator() */
  validator: z.custom<QualityValidator>((v) => typeof (v as QualityValidator | undefined)?.validate === 'function', { message: 'validator must have a validate(input) method' }).optional(),
  /** Prices models. @default createPricing({ prices }) */
  pricing: z.custom<Pricing>((v) => typeof (v as Pricing | undefined)?.costOf === 'function', { message: 'pricing must come from createPricing()' }).optional(),
  /**
   * Prices of models the default table does not know, USD per 1M tokens, over the defaults — e.g. a
   * self-hosted model: `{ 'llama3.2:3b': { inputUsdPerMTok: 0, outputUsdPerMTok: 0 } }`. Shorthand for
   * `pricing: createPricing({ prices })`; give one or the other.
   */
  prices: z.record(z.string().min(1), modelPriceSchema).optional(),
  /** Pipeline hooks (profiles, limits, guardrails, ...), run in this order. */
  middleware: z.array(z.custom<CascadeMiddleware>((v) => typeof (v as CascadeMiddleware | undefined)?.name === 'string', { message: 'middleware needs a name' })).default([]),
  /** The agent's default policy; resolvers and callers layer over it. */
  policy: agentPolicySchema.default({}),
  /** Time limit of each model attempt in ms; a timed-out tier falls through to the next. */
  attemptTimeoutMs: timeoutMsSchema.optional(),
  /** Let the validator send queries it judges too hard straight to a stronger tier. @default true */
  complexityRouting: z.boolean().default(true),
  /**
   * Draft a cheap tier only when, by its measured acceptance at the request's threshold, the draft
   * is expected to save more than it costs; otherwise start at the next tier. Off by default.
   * `true` uses the defaults of `AdaptiveRoutingOptions`.
   */
  adaptiveRouting: z.union([z.boolean(), adaptiveRoutingOptionsSchema]).default(false),
  /**
   * The self-calibrating cascade: learns from free labels (escalations), sampled audits, a judge and
   * user feedback how often each drafter's answers match the strongest tier's, and accepts, escalates
   * or routes to keep `policy.qualityShare`. `false` turns it off (fixed validator threshold). @default {} (on)
   */
  learning: z.union([z.literal(false), learningOptionsSchema]).default({ auditRate: 0.05, halfLife: 2000, minLabels: 20 }),
});
export type CascadeAgentConfig = z.input<typeof cascadeAgentConfigSchema>;

/** Injected dependencies (not config): clock and id generator, for tests. */
export interface CascadeAgentDeps {
  now?: () => number;
  generateId?: () => string;
  /** Waits between retries of a tier (`policy.retry`); must reject when the signal fires. @default core's `sleep` */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Jitter of retry waits, in [0, 1). @default Math.random */
  random?: () => number;
}

/** A cascade agent. */
export interface CascadeAgent {
  readonly models: readonly ChatModel[];
  readonly validator: QualityValidator;
  readonly pricing: Pricing;
  readonly pipeline: Pipeline;
  readonly policy: AgentPolicy;
  /**
   * Answers with the cheapest tier whose draft passes validation. With `tools`, runs a tool loop: each
   * step one cascade, tool calls executed and fed back, up to `maxSteps` (see `result.steps`).
   */
  run(input: CascadeInput, options?: RunOptions): Promise<CascadeResult>;
  /**
   * Structured output: asks for JSON matching `schema` (zod or JSON schema), escalates drafts that do
   * not satisfy it after one repair on the same tier, and returns the parsed, typed object.
   * Throws `OUTPUT_INVALID` when even the strongest tier's repaired answer does not fit.
   */
  generateObject<Schema extends z.ZodType | Record<string, unknown>>(input: CascadeInput, options: GenerateObjectOptions<Schema>): Promise<ObjectResult<ObjectOf<Schema>>>;
  /**
   * Admits a request (resolve, reserve, guard input) and plans its tiers without calling a model.
   * For drivers other than `run` (streaming). The caller must end it with `session.finish(...)`.
   */
  begin(input: CascadeInput, options?: RunOptions): Promise<CascadeSession>;
  /**
   * User feedback on an answer (by `result.requestId`) becomes a label of the drafter that gave it.
   * Returns false when the request is unknown, was answered by the strongest tier, or is too old.
   */
  feedback(requestId: string, feedback: LearningFeedback): boolean;
  /**
   * The pre-flight cost estimate admission reserves for `request` under `policy` (the agent's policy by
   * default): every allowed tier called once, each drafter `k` times under sampled agreement. Throws as
   * planning does (`MODEL_NOT_ALLOWED`, `BUDGET_EXCEEDED` over `maxCostPerRequestUsd`).
   */
  estimateCostUsd(request: ChatRequest, policy?: AgentPolicy): number;
  /** Live learning figures per drafter (and per kind inside). */
  stats(): LearningStats;
  /** Resolves when background audits, exploration drafts and judge calls in flight are done. */
  settled(): Promise<void>;
  /** The learned state, JSON-serializable and versioned. */
  exportState(): LearningState;
  /** Restores a state from `exportState` (validated: `INVALID_INPUT` when malformed). */
  importState(state: LearningState): void;
  /** Aborts background learning calls and saves the state to the store, if any. */
  close(): Promise<void>;
}

/**
 * Creates a cascade: draft with the cheapest allowed tier, validate, accept or escalate.
 * A tier that errors or times out falls through to the next; an abort stops everything.
 *
 * @example
 * const agent = createCascadeAgent({ models: [cheap, strong] });
 * const result = await agent.run('What is 17 * 23?');
 * result.text; result.modelId; result.costUsd; result.savings;
 */
export function createCascadeAgent(config: CascadeAgentConfig, deps: CascadeAgentDeps = {}): CascadeAgent {
  const options = parseConfig(cascadeAgentConfigSchema, config, 'createCascadeAgent config');
  const models = options.models as ChatModel[];
  const validator = options.validator ?? createDefaultValidator();
  if (options.pricing && options.prices) {
    throw new CascadeError('INVALID_CONFIG', 'createCascadeAgent config: give either pricing or prices, not both. Put the prices in createPricing({ prices }) and pass that as pricing.');
  }
  const pricing = options.pricing ?? createPricing(options.prices ? { prices: options.prices } : {});
  const pipeline = createPipeline(options.middleware as CascadeMiddleware[]);
  const unenforced = unenforcedPolicyMessages(options.policy, enforcedSections(options.middleware as CascadeMiddleware[]));
  if (unenforced.length > 0) throw new CascadeError('INVALID_CONFIG', `createCascadeAgent config: ${unenforced.join(' ')}`);
  const now = deps.now ?? (() => performance.now());
  const generateId = deps.generateId ?? randomUUID;
  // Per-agent acceptance statistics; undefined when adaptive routing is off.
  const draftStats = createDraftAcceptanceStats(options.adaptiveRouting);
  // Fail at construction, not on the first request, when a model has no price.
  checkPrices(models, pricing, options.pricing !== undefined);
  const learner = options.learning === false ? undefined : new Learner(options.learning, validator, pricing);

  /** Drafts sampled per drafter when the learner will decide this request (sampled agreement), for the reservation. */
  function draftSamples(policy: AgentPolicy, request: ChatRequest, mode: RunOptions['mode']): number {
    // Streams draft one answer (`doStream` has no `n`): their drafts are binned without agreement.
    if (!learner || learner.samples <= 1 || mode === 'stream' || policy.qualityTarget !== undefined || !isFeatureEnabled(policy, 'qualityValidation')) return 1;
    return learner.samplesFor(requestKind(request));
  }

  async function begin(input: CascadeInput, callOptions?: RunOptions): Promise<CascadeSession> {
    const startedAt = now();
    const runOptions = parseRunOptions(callOptions);
    const request = normalizeInput(input);
    const { signal, dispose } = withTimeout(runOptions.abortSignal, runOptions.timeoutMs);
    let plan: TierPlan | undefined;
    let admitted: AdmittedRequest | undefined;
    try {
      admitted = await pipeline.begin({
        requestId: runOptions.requestId ?? generateId(),
        mode: runOptions.mode ?? 'run',
        ...(runOptions.userId !== undefined ? { userId: runOptions.userId } : {}),
        ...(runOptions.principal ? { principal: runOptions.principal } : {}),
        policy: options.policy,
        ...(runOptions.policy ? { policyOverride: runOptions.policy } : {}),
        request,
        ...(signal ? { abortSignal: signal } : {}),
        estimate: (policy, guarded) => {
          plan = planTiers(models, policy, pricing, guarded, draftSamples(policy, guarded, runOptions.mode));
          return plan.estimate;
        },
      });
      const policy = admitted.context.policy;
      // Input guards may have changed the request: plan on what the models will see.
      if (admitted.context.request !== request || !plan) plan = planTiers(models, policy, pricing, admitted.context.request, draftSamples(policy, admitted.context.request, runOptions.mode));
      const threshold = Math.max(policy.qualityTarget ?? DEFAULT_QUALITY_TARGET, policy.qualityMin ?? 0);
      const validationEnabled = isFeatureEnabled(policy, 'qualityValidation');
      let tiers = plan.tiers;
      const routing: CascadeRouting = { startTier: tiers[0]!.tier, skippedModels: plan.skippedModels };
      // The learner decides unless the expert threshold overrides it.
      let learning: RequestLearning | undefined;
      if (learner && validationEnabled && policy.qualityTarget === undefined && tiers.length > 1) {
        await learner.ready();
        const request = admitted.context.request;
        const kind = requestKind(request);
        learning = new RequestLearning(learner, request, kind, policy.qualityShare ?? DEFAULT_QUALITY_SHARE, tiers, policy.compliance === undefined, draftSamples(policy, request, runOptions.mode));
        tiers = learning.tiers();
        routing.startTier = tiers[0]!.tier;
      }
      if (!learning && options.complexityRouting && validationEnabled && validator.assessComplexity && tiers.length > 1) {
        const complexity = validator.assessComplexity(admitted.context.request, tiers.length, threshold);
        const start = Math.min(Math.max(0, Math.trunc(complexity.startTier)), tiers.length - 1);
        tiers = tiers.slice(start);
        routing.complexity = complexity;
        routing.startTier = tiers[0]!.tier;
      }
      // After complexity routing: it only ever moves the start later, and so does this.
      if (!learning && draftStats && validationEnabled && tiers.length > 1) {
        const adaptive = draftStats.plan(tiers, threshold);
        tiers = tiers.slice(adaptive.start);
        routing.adaptive = adaptive.decision;
        routing.startTier = tiers[0]!.tier;
      }
      const onAttempt = draftStats ? (attempt: CascadeAttempt): void => {
        // Only validator judgements of drafts count (an early-escalated stream draft is a rejection);
        // provider errors and the unjudged final tier do not.
        if (attempt.status === 'abandoned' || (attempt.quality && (attempt.status === 'accepted' || attempt.status === 'escalated'))) {
          draftStats.recordDraft(attempt.modelId, threshold, attempt.status === 'accepted');
        }
        if (attempt.status === 'accepted' || attempt.status === 'escalated' || attempt.status === 'final') draftStats.recordLatency(attempt.modelId, attempt.latencyMs);
      } : undefined;
      return new CascadeSession({
        admitted, tiers, routing, threshold, validationEnabled, validator, pricing,
        baselineModel: plan.tiers[plan.tiers.length - 1]!.model,
        attemptTimeoutMs: policy.attemptTimeoutMs ?? options.attemptTimeoutMs,
        signal, now, startedAt, dispose,
        retry: resolveRetryPolicy(policy.retry),
        ...(runOptions.timeoutMs !== undefined ? { deadline: startedAt + runOptions.timeoutMs } : {}),
        ...(deps.sleep ? { sleep: deps.sleep } : {}),
        ...(deps.random ? { random: deps.random } : {}),
        ...(onAttempt ? { onAttempt } : {}),
        ...(learning ? { learning } : {}),
      });
    } catch (error) {
      dispose();
      const typed = toCascadeError(error, 'INVALID_CONFIG');
      if (admitted) {
        // Admitted, then refused while planning (a redacted prompt over the cost cap, the learner failing):
        // free the reservations and tell the observers; no model was called.
        await admitted.settle({ usage: ZERO_USAGE, costUsd: 0, outcome: 'error' }).catch(() => undefined);
        admitted.end({
          outcome: outcomeOf(typed), endedAt: Date.now(), error: typed,
          outputFindings: [], calls: [], usage: ZERO_USAGE, costUsd: 0, warnings: [],
        });
      }
      throw typed;
    }
  }

  async function runOnce(input: CascadeInput, runOptions?: RunOptions): Promise<{ result: CascadeResult; session: CascadeSession }> {
    const session = await begin(input, runOptions);
    let result: CascadeResult;
    try {
      result = await drive(session);
    } catch (error) {
      const typed = session.stopped ? session.stopError() : toCascadeError(error);
      const spent = withSpend(typed, session);
      await session.finish(typed.code === 'ABORTED' || isAbortError(error) ? 'aborted' : 'error', { error: spent });
      throw spent;
    }
    const warning = await session.finish('success', { result });
    return { result: warning ? { ...result, warnings: [...result.warnings, warning] } : result, session };
  }

  async function run(input: CascadeInput, runOptions?: RunOptions): Promise<CascadeResult> {
    if (runOptions?.tools === undefined) return (await runOnce(input, runOptions)).result;
    const parsed = parseRunOptions(runOptions);
    const { tools, maxSteps, timeoutMs: _timeoutMs, abortSignal: _abortSignal, ...stepOptions } = runOptions;
    const { signal, dispose } = withTimeout(parsed.abortSignal, parsed.timeoutMs);
    try {
      return await runToolLoop({
        request: normalizeInput(offerTools(input, tools ?? {})),
        tools: tools ?? {},
        maxSteps: maxSteps ?? DEFAULT_MAX_STEPS,
        requestId: parsed.requestId ?? generateId(),
        options: { ...stepOptions, ...(signal ? { abortSignal: signal } : {}) },
        signal,
        runStep: runOnce,
      });
    } finally {
      dispose();
    }
  }

  async function generateObject<Schema extends z.ZodType | Record<string, unknown>>(input: CascadeInput, objectOptions: GenerateObjectOptions<Schema>): Promise<ObjectResult<ObjectOf<Schema>>> {
    const { schema, schemaName, strict, ...runOptions } = objectOptions;
    const request = objectRequest(input, { schema, ...(schemaName !== undefined ? { schemaName } : {}), ...(strict !== undefined ? { strict } : {}) });
    const result = await run(request, runOptions);
    return { object: parseObject(result, schema), result };
  }

  const noLearner = (): never => {
    throw new CascadeError('INVALID_CONFIG', 'Learning is off for this agent (learning: false). Create the agent with learning on to use its state.');
  };
  return {
    models, validator, pricing, pipeline, policy: options.policy, run, begin, generateObject,
    feedback: (requestId, feedback) => learner?.feedback(requestId, feedback) ?? false,
    estimateCostUsd: (request, policy = options.policy) => planTiers(models, policy, pricing, request, draftSamples(policy, request, 'batch')).estimate.costUsd,
    stats: () => learner?.stats() ?? { drafters: [], auditCostUsd: 0, auditErrors: 0 },
    settled: () => learner?.settled() ?? Promise.resolve(),
    exportState: () => learner?.exportState() ?? noLearner(),
    importState: (state) => (learner ? learner.importState(state) : noLearner()),
    close: () => learner?.close() ?? Promise.resolve(),
  };
}

/**
 * Throws one `INVALID_CONFIG` naming every model without a price and showing how to price it: cost is how
 * the cascade chooses tiers, reserves budgets and reports savings, so a guess would be wrong silently.
 */
function checkPrices(models: readonly ChatModel[], pricing: Pricing, custom: boolean): void {
  const unpriced: { modelId: string; tier: number; error: unknown }[] = [];
  models.forEach((model, tier) => {
    try {
      pricing.costOf(model.modelId, { inputTokens: 0, outputTokens: 0, source: 'provider' });
    } catch (error) {
      unpriced.push({ modelId: model.modelId, tier, error });
    }
  });
  if (unpriced.length === 0) return;
  const names = unpriced.map(({ modelId, tier }) => `"${modelId}" (tier ${tier})`).join(', ');
  const entries = unpriced.map(({ modelId }) => `${JSON.stringify(modelId)}: { inputUsdPerMTok: 0, outputUsdPerMTok: 0 }`).join(', ');
  const how = custom
    ? `Add ${unpriced.length === 1 ? 'it' : 'them'} to your createPricing({ prices: { ${entries} } })`
    : `Price ${unpriced.length === 1 ? 'it' : 'them'}: createCascadeAgent({ models, prices: { ${entries} } })`;
  throw new CascadeError(
    'INVALID_CONFIG',
    `createCascadeAgent config: no price for ${names}. The cascade needs a price per model to choose tiers, reserve budgets and report savings. ` +
      `${how} — 0/0 for a free self-hosted model (Ollama, vLLM, LM Studio), else your provider's USD per 1M tokens.`,
    { cause: unpriced[0]!.error, details: { unpricedModels: unpriced.map(({ modelId }) => modelId) } },
  );
}

/** Runs the tiers of a session with `doGenerate`. */
async function drive(session: CascadeSession): Promise<CascadeResult> {
  let fallback: { tier: PlannedTier; draft: ChatResult; verdict: QualityVerdict } | undefined;
  let lastError: CascadeError | undefined;
  const tiers = session.tiers;
  for (let index = 0; index < tiers.length; index++) {
    const tier = tiers[index]!;
    const isLast = index === tiers.length - 1;
    const call = await generateWithRetries(session, tier, isLast);
    if (!call) {
      lastError = session.attempts[session.attempts.length - 1]?.error;
      continue;
    }
    let { draft, latencyMs, usage: callUsage } = call;
    const { agreement, samples } = call;
    if (isLast) {
      // The strongest tier is not judged, but structured output must still parse: one repair.
      const schemaVerdict = checkOutputSchema(session.request, draft);
      if (schemaVerdict) {
        const repaired = await repairOnce(session, tier, draft, schemaVerdict, latencyMs);
        if (repaired) ({ draft, latencyMs } = repaired);
      }
      session.recordCall(tier, draft.usage, latencyMs, 'final', index === 0 ? 'only tier' : 'strongest tier: returned without a further check', undefined, draft);
      return finishWith(session, tier, draft);
    }
    const sampledNote = (attempt: CascadeAttempt): void => {
      if (samples > 1) attempt.samples = samples;
    };
    if (!session.validationEnabled) {
      sampledNote(session.recordCall(tier, callUsage, latencyMs, 'accepted', 'quality validation is off for this policy', undefined, draft));
      return finishWith(session, tier, draft);
    }
    let verdict = await session.validate(tier, draft, agreement);
    if (isRepairable(verdict)) {
      const repaired = await repairOnce(session, tier, { ...draft, usage: callUsage }, verdict, latencyMs);
      if (repaired) {
        ({ draft, latencyMs } = repaired);
        callUsage = draft.usage;
        verdict = await session.validate(tier, draft);
      } else {
        continue;
      }
    }
    if (verdict.passed) {
      sampledNote(session.recordCall(tier, callUsage, latencyMs, 'accepted', verdict.reason, verdict, draft));
      return finishWith(session, tier, draft);
    }
    sampledNote(session.recordCall(tier, callUsage, latencyMs, 'escalated', verdict.reason, verdict, draft));
    if (!fallback || verdict.score > fallback.verdict.score) fallback = { tier, draft, verdict };
  }
  if (fallback) {
    // Every stronger tier failed: a rejected draft beats no answer. Say so.
    const attempt = session.attempts.find((a) => a.tier === fallback.tier.tier && a.status === 'escalated');
    if (attempt) attempt.status = 'fallback';
    const result = await finishWith(session, fallback.tier, fallback.draft);
    return { ...result, warnings: [...result.warnings, `Every stronger tier failed; returned the draft of ${fallback.tier.model.modelId} that scored ${fallback.verdict.score.toFixed(2)} (below ${session.threshold}).`] };
  }
  const failures = session.attempts.filter((a) => a.error);
  throw new CascadeError(
    'ALL_MODELS_FAILED',
    `All ${failures.length} model attempt(s) failed: ${failures.map((a) => `${a.modelId} (${a.error!.code}${a.error!.statusCode ? ` ${a.error!.statusCode}` : ''})`).join(', ')}. Check the providers' status and credentials, or retry later.`,
    {
      cause: lastError,
      retryable: failures.some((a) => a.error!.retryable),
      ...(lastError?.retryAfterMs !== undefined ? { retryAfterMs: lastError.retryAfterMs } : {}),
      details: { attempts: failures.map((a) => ({ modelId: a.modelId, code: a.error!.code, statusCode: a.error!.statusCode, message: a.error!.message })) },
    },
  );
}

/**
 * Calls `tier` with `doGenerate`, calling it again after transient errors as the policy's `retry` allows
 * (every failed call is recorded as a `failed` attempt). Returns the draft, or `undefined` when the tier
 * failed for good (fall through). Throws when the request is stopped.
 */
/** A tier's answer after any retries: the draft, the usage of every call of the attempt and, for drafters, sampled agreement. */
interface GeneratedCall {
  draft: ChatResult;
  usage: TokenUsage;
  samples: number;
  agreement: DraftAgreement | undefined;
  latencyMs: number;
}

async function generateWithRetries(session: CascadeSession, tier: PlannedTier, isLast: boolean): Promise<GeneratedCall | undefined> {
  for (let calls = 1; ; calls++) {
    if (session.stopped) throw session.stopError();
    const started = session.now();
    const attempt = session.attemptSignal();
    let failed: CascadeAttempt;
    try {
      const callOptions = attempt.signal ? { abortSignal: attempt.signal } : undefined;
      if (isLast) {
        const draft = await tier.model.doGenerate(session.request, callOptions);
        return { draft, usage: draft.usage, samples: 1, agreement: undefined, latencyMs: session.now() - started };
      }
      // A drafter may be sampled several times for agreement: `usage` covers every call.
      const sampled = await session.draft(tier, callOptions);
      return { draft: sampled.draft, usage: sampled.usage, samples: sampled.samples, agreement: sampled.agreement, latencyMs: session.now() - started };
    } catch (error) {
      if (session.stopped) throw session.stopError();
      failed = session.recordFailure(tier, error, session.now() - started);
    } finally {
      attempt.dispose();
    }
    if (!(await session.retryAfterFailure(tier, failed, calls))) return undefined;
  }
}

/**
 * One bounded repair of a draft that failed the output schema: the draft is recorded as `repaired`, and
 * the same tier is asked once more with its answer and the schema error. Returns the new draft, or
 * `undefined` when the repair call failed (recorded; the caller escalates).
 */
async function repairOnce(session: CascadeSession, tier: PlannedTier, draft: ChatResult, verdict: QualityVerdict, latencyMs: number): Promise<{ draft: ChatResult; latencyMs: number } | undefined> {
  session.recordCall(tier, draft.usage, latencyMs, 'repaired', `${verdict.reason}; asking the same tier once to repair it`, verdict);
  const request = repairRequest(session.request, draft.text, verdict);
  if (session.stopped) throw session.stopError();
  const started = session.now();
  const attempt = session.attemptSignal();
  try {
    const repaired = await tier.model.doGenerate(request, attempt.signal ? { abortSignal: attempt.signal } : undefined);
    return { draft: repaired, latencyMs: session.now() - started };
  } catch (error) {
    if (session.stopped) throw session.stopError();
    session.recordFailure(tier, error, session.now() - started);
    return undefined;
  } finally {
    attempt.dispose();
  }
}

async function finishWith(session: CascadeSession, tier: PlannedTier, answer: ChatResult): Promise<CascadeResult> {
  const guarded = await session.guardOutput(answer.text);
  return session.buildResult(tier, answer, guarded.text, guarded.findings);
}

/**
 * The same error with what the failed request consumed (`details.costUsd`, `details.usage`,
 * `details.attempts`): providers bill rejected drafts and calls cut off mid-way, and batch and
 * billing code must be able to count them.
 */
function withSpend(error: CascadeError, session: CascadeSession): CascadeError {
  if (session.attempts.length === 0) return error;
  return new CascadeError(error.code, error.message, {
    cause: error.cause ?? error,
    retryable: error.retryable,
    ...(error.statusCode !== undefined ? { statusCode: error.statusCode } : {}),
    ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
    details: {
      ...error.details,
      costUsd: session.costUsd,
      usage: session.usage,
      // Keep an error's own attempt list (ALL_MODELS_FAILED names each code); add one otherwise.
      attempts: error.details?.attempts ?? session.attempts.map((attempt) => ({
        modelId: attempt.modelId, status: attempt.status, costUsd: attempt.costUsd, reason: attempt.reason, ...(attempt.error ? { code: attempt.error.code } : {}),
      })),
    },
  });
}
