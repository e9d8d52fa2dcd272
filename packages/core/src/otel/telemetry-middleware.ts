import type {
  Attributes, Context, Counter, Histogram, Meter, MeterProvider, Span, Tracer, TracerProvider,
} from '@opentelemetry/api';
import type * as OtelApi from '@opentelemetry/api';
import { z } from 'zod';
import { parseConfig } from '../errors/config-error';
import { requireOptionalPeer } from '../util/require-optional-peer';
import type { ChatRequest } from '../model/chat-request';
import { planOf } from '../policy/principal';
import type { CascadeMiddleware, GuardFinding } from '../pipeline/middleware';
import type { ModelCallRecord, RequestReport } from '../pipeline/request-report';
import { CASCADE, GEN_AI } from './gen-ai-attributes';

const INSTRUMENTATION_NAME = '@cascade/core';

let api: typeof OtelApi | undefined;
/** The API's no-op histogram class: instruments of this class record nothing, so no attributes are built for them. */
let noopHistogramClass: unknown;

/**
 * `@opentelemetry/api` (an optional peer), loaded by the first {@link createTelemetryMiddleware} rather
 * than at import: without it, an error that says to install it. Its globals (providers, context keys)
 * live on `globalThis` under `Symbol.for`, so this copy sees what the app's copy registered.
 */
function otelApi(): typeof OtelApi {
  if (api === undefined) {
    api = requireOptionalPeer<typeof OtelApi>({ from: import.meta.url, packageName: '@opentelemetry/api', feature: 'createTelemetryMiddleware' });
    noopHistogramClass = api.createNoopMeter().createHistogram('noop').constructor;
  }
  return api;
}

export const telemetryConfigSchema = z.strictObject({
  /** Middleware name. @default 'telemetry' */
  name: z.string().min(1).default('telemetry'),
  /**
   * Record prompts and answers (`gen_ai.input.messages`, `gen_ai.output.messages`) — the text the
   * models saw and the caller got, after guards. Never under a compliance regime. @default false
   */
  recordContent: z.boolean().default(false),
  /**
   * Who asked: `ids` records user, organization and workspace ids and the subscription plan; `plan`
   * only the plan; `none` neither. Under a compliance regime at most `plan`. `tier` is the deprecated
   * name of `plan` (accepted until the next minor version). @default 'plan'
   */
  recordPrincipal: z.enum(['ids', 'plan', 'none', 'tier']).default('plan').transform((value) => (value === 'tier' ? 'plan' : value)),
});
export type TelemetryConfig = z.input<typeof telemetryConfigSchema>;

/** Where spans and metrics go. Defaults to the globally registered providers (`trace`/`metrics` of `@opentelemetry/api`). */
export interface TelemetryDeps {
  tracerProvider?: TracerProvider;
  meterProvider?: MeterProvider;
}

interface Instruments {
  provider: MeterProvider;
  /** True when the meter is the API's no-op (no SDK registered). */
  noop: boolean;
  tokenUsage: Histogram;
  operationDuration: Histogram;
  requestDuration: Histogram;
  requests: Counter;
  cost: Counter;
  savings: Counter;
  accepted: Counter;
  escalated: Counter;
  denials: Counter;
}

/**
 * OpenTelemetry GenAI spans and metrics for every request, through `@opentelemetry/api` only: with
 * no SDK registered every call is a no-op. Per request, an `invoke_agent cascade` span (tier, decision,
 * quality, cost, savings, limit decisions and guardrail findings as events — never matched values) with
 * one `chat {model}` client span per model call (GenAI request/response/usage attributes, the
 * validator's verdict as a `gen_ai.evaluation.result` event). Metrics: `gen_ai.client.token.usage`,
 * `gen_ai.client.operation.duration`, and `cascade.*` cost, savings, accepted drafts, escalations,
 * denials and request duration. Spans are built when the request ends, off the response path, with the
 * calls' real start and end times.
 *
 * @param config - see {@link telemetryConfigSchema}.
 * @param deps - tracer and meter providers (tests pass SDK providers with in-memory exporters).
 * @example
 * import { createTelemetryMiddleware } from '@cascade/core/otel';
 * const agent = createCascadeAgent({ models, middleware: [profiles, limits, guardrails, createTelemetryMiddleware()] });
 */
export function createTelemetryMiddleware(config: TelemetryConfig = {}, deps: TelemetryDeps = {}): CascadeMiddleware {
  const options = parseConfig(telemetryConfigSchema, config, 'createTelemetryMiddleware config');
  otelApi(); // at construction: a missing `@opentelemetry/api` fails here, not on the first request
  // A ProxyTracer from the global API follows an SDK registered later; meters have no proxy, so they
  // are re-created when the global provider changes.
  const tracer: Tracer = (deps.tracerProvider ?? otelApi().trace.getTracerProvider()).getTracer(INSTRUMENTATION_NAME);
  let instruments: Instruments | undefined;
  const meterFor = (): Instruments => {
    const provider = deps.meterProvider ?? otelApi().metrics.getMeterProvider();
    if (instruments?.provider !== provider) instruments = createInstruments(provider, provider.getMeter(INSTRUMENTATION_NAME));
    return instruments;
  };
  return {
    name: options.name,
    onEnd(report) {
      recordSpans(tracer, report, options);
      const meter = meterFor();
      if (!meter.noop) recordMetrics(meter, report);
    },
  };
}

function createInstruments(provider: MeterProvider, meter: Meter): Instruments {
  const tokenUsage = meter.createHistogram(GEN_AI.METRIC_TOKEN_USAGE, {
    description: 'Number of input and output tokens used per model call.', unit: '{token}',
    advice: { explicitBucketBoundaries: [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864] },
  });
  return {
    provider,
    noop: tokenUsage.constructor === noopHistogramClass,
    tokenUsage,
    operationDuration: meter.createHistogram(GEN_AI.METRIC_OPERATION_DURATION, {
      description: 'Duration of each model call.', unit: 's',
      advice: { explicitBucketBoundaries: [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92] },
    }),
    requestDuration: meter.createHistogram(CASCADE.METRIC_DURATION, { description: 'Duration of each request through the cascade.', unit: 's' }),
    requests: meter.createCounter(CASCADE.METRIC_REQUESTS, { description: 'Requests by outcome.', unit: '{request}' }),
    cost: meter.createCounter(CASCADE.METRIC_COST, { description: 'Spend on model calls, every call counted.', unit: 'USD' }),
    savings: meter.createCounter(CASCADE.METRIC_SAVINGS, { description: 'Baseline (strongest tier alone) minus actual spend, of answered requests.', unit: 'USD' }),
    accepted: meter.createCounter(CASCADE.METRIC_ACCEPTED, { description: 'Drafts accepted by the quality check.', unit: '{draft}' }),
    escalated: meter.createCounter(CASCADE.METRIC_ESCALATIONS, { description: 'Drafts rejected and escalated to a stronger tier.', unit: '{draft}' }),
    denials: meter.createCounter(CASCADE.METRIC_DENIALS, { description: 'Requests refused by limits, budgets, guardrails or policy.', unit: '{request}' }),
  };
}

type Options = z.output<typeof telemetryConfigSchema>;

function recordSpans(tracer: Tracer, report: RequestReport, options: Options): void {
  const { context, answer } = report;
  const root = tracer.startSpan('invoke_agent cascade', { kind: otelApi().SpanKind.INTERNAL, startTime: report.startedAt }, otelApi().context.active());
  // No SDK (or a sampler said no): build nothing.
  if (!root.isRecording()) {
    root.end(report.endedAt);
    return;
  }
  const compliance = context.policy.compliance;
  const attributes: Attributes = {
    [GEN_AI.OPERATION_NAME]: 'invoke_agent',
    [GEN_AI.AGENT_NAME]: 'cascade',
    [CASCADE.REQUEST_ID]: context.requestId,
    [CASCADE.MODE]: context.mode,
    [CASCADE.OUTCOME]: report.outcome,
    [CASCADE.COST_USD]: report.costUsd,
    [CASCADE.ATTEMPTS]: report.calls.length,
    [GEN_AI.USAGE_INPUT_TOKENS]: report.usage.inputTokens,
    [GEN_AI.USAGE_OUTPUT_TOKENS]: report.usage.outputTokens,
    ...requestParams(context.request),
  };
  if (report.routing) attributes[CASCADE.START_TIER] = report.routing.startTier;
  if (compliance) attributes[CASCADE.COMPLIANCE_MODE] = compliance.mode;
  const principal = context.principal;
  const recordPrincipal = compliance && options.recordPrincipal === 'ids' ? 'plan' : options.recordPrincipal;
  if (recordPrincipal !== 'none') {
    const plan = principal ? planOf(principal) : undefined;
    if (plan) attributes[CASCADE.USER_TIER] = plan;
    if (recordPrincipal === 'ids') {
      // The caller's user id hint counts when no middleware resolved a principal (as in the audit trail).
      const userId = principal?.userId ?? context.userId;
      if (userId) attributes[CASCADE.USER_ID] = userId;
      if (principal?.organizationId) attributes[CASCADE.ORGANIZATION_ID] = principal.organizationId;
      if (principal?.workspaceId) attributes[CASCADE.WORKSPACE_ID] = principal.workspaceId;
    }
  }
  if (answer) {
    const decisive = report.calls.find((call) => call.attempt.modelId === answer.modelId && call.attempt.tier === answer.tier && call.attempt.status !== 'failed');
    attributes[GEN_AI.RESPONSE_MODEL] = answer.modelId;
    attributes[GEN_AI.PROVIDER_NAME] = answer.provider;
    attributes[GEN_AI.RESPONSE_FINISH_REASONS] = [answer.finishReason];
    attributes[CASCADE.TIER] = answer.tier;
    attributes[CASCADE.DECISION] = decisive?.attempt.status ?? 'final';
    attributes[CASCADE.ESCALATED] = answer.escalated;
    attributes[CASCADE.BASELINE_COST_USD] = answer.baselineCostUsd;
    attributes[CASCADE.SAVINGS] = answer.savings;
    if (decisive?.attempt.quality) attributes[CASCADE.QUALITY_SCORE] = decisive.attempt.quality.score;
    if (answer.probability !== undefined) attributes[CASCADE.QUALITY_PROBABILITY] = answer.probability;
  }
  const first = report.calls[0];
  if (first) attributes[GEN_AI.REQUEST_MODEL] = first.attempt.modelId;
  const recordContent = options.recordContent && !compliance;
  if (recordContent) {
    attributes[GEN_AI.INPUT_MESSAGES] = JSON.stringify(context.request.messages);
    if (answer) attributes[GEN_AI.OUTPUT_MESSAGES] = JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: answer.text }], finish_reason: answer.finishReason }]);
  }
  root.setAttributes(attributes);
  for (const admission of report.admissions) {
    root.addEvent(CASCADE.EVENT_LIMIT, {
      [CASCADE.LIMIT_MIDDLEWARE]: admission.middleware,
      [CASCADE.LIMIT_ALLOWED]: admission.allowed,
      ...(admission.code ? { [CASCADE.LIMIT_CODE]: admission.code } : {}),
      ...(admission.reason ? { [CASCADE.LIMIT_REASON]: admission.reason } : {}),
      ...(admission.retryAfterMs !== undefined ? { [CASCADE.LIMIT_RETRY_AFTER_MS]: admission.retryAfterMs } : {}),
      ...(admission.warnings?.length ? { [CASCADE.LIMIT_WARNINGS]: [...admission.warnings] } : {}),
    }, report.startedAt);
  }
  for (const finding of report.inputFindings) root.addEvent(CASCADE.EVENT_GUARDRAIL, findingAttributes(finding, 'input'), report.startedAt);
  for (const finding of report.outputFindings) root.addEvent(CASCADE.EVENT_GUARDRAIL, findingAttributes(finding, 'output'), report.endedAt);

  const parent = otelApi().trace.setSpan(otelApi().context.active(), root);
  for (const call of report.calls) recordCallSpan(tracer, parent, call, context.request, recordContent);

  if (report.error) {
    root.setAttribute(GEN_AI.ERROR_TYPE, report.error.code);
    root.setStatus({ code: otelApi().SpanStatusCode.ERROR, message: report.error.message });
  }
  root.end(report.endedAt);
}

function recordCallSpan(tracer: Tracer, parent: Context, call: ModelCallRecord, request: ChatRequest, recordContent: boolean): void {
  const { attempt } = call;
  const span: Span = tracer.startSpan(`chat ${attempt.modelId}`, { kind: otelApi().SpanKind.CLIENT, startTime: call.startedAt }, parent);
  span.setAttributes({
    [GEN_AI.OPERATION_NAME]: 'chat',
    [GEN_AI.PROVIDER_NAME]: attempt.provider,
    [GEN_AI.REQUEST_MODEL]: attempt.modelId,
    [GEN_AI.USAGE_INPUT_TOKENS]: attempt.usage.inputTokens,
    [GEN_AI.USAGE_OUTPUT_TOKENS]: attempt.usage.outputTokens,
    [CASCADE.TIER]: attempt.tier,
    [CASCADE.ATTEMPT_STATUS]: attempt.status,
    [CASCADE.COST_USD]: attempt.costUsd,
    ...requestParams(request),
    ...(call.responseModelId ?? attempt.status !== 'failed' ? { [GEN_AI.RESPONSE_MODEL]: call.responseModelId ?? attempt.modelId } : {}),
    ...(call.responseId ? { [GEN_AI.RESPONSE_ID]: call.responseId } : {}),
    ...(call.finishReason ? { [GEN_AI.RESPONSE_FINISH_REASONS]: [call.finishReason] } : {}),
    ...(recordContent ? { [GEN_AI.INPUT_MESSAGES]: JSON.stringify(request.messages) } : {}),
  });
  if (attempt.quality) {
    span.addEvent(GEN_AI.EVALUATION_RESULT, {
      [GEN_AI.EVALUATION_NAME]: 'cascade.quality',
      [GEN_AI.EVALUATION_SCORE_VALUE]: attempt.quality.score,
      [GEN_AI.EVALUATION_SCORE_LABEL]: attempt.quality.passed ? 'pass' : 'fail',
      [GEN_AI.EVALUATION_EXPLANATION]: attempt.quality.reason,
      ...(call.responseId ? { [GEN_AI.RESPONSE_ID]: call.responseId } : {}),
    }, call.endedAt);
  }
  if (attempt.error) {
    span.setAttribute(GEN_AI.ERROR_TYPE, attempt.error.code);
    span.setStatus({ code: otelApi().SpanStatusCode.ERROR, message: attempt.error.message });
  }
  span.end(call.endedAt);
}

function recordMetrics(instruments: Instruments, report: RequestReport): void {
  const { context, answer } = report;
  const tier = planOf(context.principal);
  const base: Attributes = { [CASCADE.OUTCOME]: report.outcome, [CASCADE.MODE]: context.mode, ...(tier ? { [CASCADE.USER_TIER]: tier } : {}) };
  instruments.requests.add(1, base);
  instruments.requestDuration.record(Math.max(0, report.endedAt - report.startedAt) / 1000, base);
  if (report.costUsd > 0) instruments.cost.add(report.costUsd, base);
  if (answer) {
    const saved = answer.baselineCostUsd - report.costUsd;
    // Counters are monotonic: an escalation that cost more than the baseline saves nothing (the span says by how much).
    if (saved > 0) instruments.savings.add(saved, base);
  }
  if (report.outcome === 'denied' && report.error) instruments.denials.add(1, { ...base, [GEN_AI.ERROR_TYPE]: report.error.code });
  for (const call of report.calls) {
    const { attempt } = call;
    const attributes: Attributes = {
      [GEN_AI.OPERATION_NAME]: 'chat',
      [GEN_AI.PROVIDER_NAME]: attempt.provider,
      [GEN_AI.REQUEST_MODEL]: attempt.modelId,
      ...(attempt.status !== 'failed' ? { [GEN_AI.RESPONSE_MODEL]: call.responseModelId ?? attempt.modelId } : {}),
    };
    instruments.operationDuration.record(attempt.latencyMs / 1000, attempt.error ? { ...attributes, [GEN_AI.ERROR_TYPE]: attempt.error.code } : attributes);
    if (attempt.usage.inputTokens > 0 || attempt.usage.outputTokens > 0) {
      instruments.tokenUsage.record(attempt.usage.inputTokens, { ...attributes, [GEN_AI.TOKEN_TYPE]: 'input' });
      instruments.tokenUsage.record(attempt.usage.outputTokens, { ...attributes, [GEN_AI.TOKEN_TYPE]: 'output' });
    }
    const draftAttributes = { [GEN_AI.REQUEST_MODEL]: attempt.modelId, [CASCADE.TIER]: attempt.tier };
    if (attempt.status === 'accepted' && attempt.quality) instruments.accepted.add(1, draftAttributes);
    if (attempt.status === 'escalated' || attempt.status === 'abandoned' || attempt.status === 'fallback') instruments.escalated.add(1, draftAttributes);
  }
}

function requestParams(request: ChatRequest): Attributes {
  return {
    ...(request.maxOutputTokens !== undefined ? { [GEN_AI.REQUEST_MAX_TOKENS]: request.maxOutputTokens } : {}),
    ...(request.temperature !== undefined ? { [GEN_AI.REQUEST_TEMPERATURE]: request.temperature } : {}),
    ...(request.topP !== undefined ? { [GEN_AI.REQUEST_TOP_P]: request.topP } : {}),
    ...(request.stop !== undefined ? { [GEN_AI.REQUEST_STOP_SEQUENCES]: [...request.stop] } : {}),
    ...(request.seed !== undefined ? { [GEN_AI.REQUEST_SEED]: request.seed } : {}),
  };
}

function findingAttributes(finding: GuardFinding, phase: 'input' | 'output'): Attributes {
  // Never `detail`: a guard may put the matched text there when asked to.
  return {
    [CASCADE.GUARD]: finding.guard,
    [CASCADE.GUARD_TYPE]: finding.type,
    [CASCADE.GUARD_ACTION]: finding.action,
    [CASCADE.GUARD_PHASE]: phase,
    ...(finding.score !== undefined ? { [CASCADE.GUARD_SCORE]: finding.score } : {}),
  };
}
