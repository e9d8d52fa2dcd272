/**
 * `pnpm bench:overhead [--json] [--iterations <n>]`
 *
 * The engine's own time per request (`agent.run`: pipeline, complexity routing, validation,
 * pricing, the learner's decision, result assembly) with zero-latency models, for a 1 KB and a 32 KB
 * answer. One draft in 4 has broken arithmetic. With learning on (the default) the learner decides
 * accept / escalate / route and buys background audits (their work runs between requests, as live);
 * `answer1kLearningOff` is the fixed-threshold engine (`learning: false`) on the same requests;
 * `answer1kSignals` turns both live signals on (`learning.signals`: logprobs, 3 sampled drafts made as 3
 * zero-latency calls, on a quantitative question so they are sampled): the engine's own cost of sampling and
 * comparing, no goal (the goals are for signals off).
 *
 * Telemetry (`@cascade/core/otel`) on the 1 KB case: `telemetryNoSdk` with the middleware added and no
 * OpenTelemetry SDK registered (the API's no-op), `telemetryNoopSdk` with no-op tracer and meter providers
 * registered globally, `telemetrySdkSampledOff` with the real SDK registered globally but sampling nothing
 * and no metric reader (what `OTEL_TRACES_SAMPLER=always_off` gives), `telemetryInMemorySdk` with the real
 * SDK registered globally (every span recorded, in-memory exporter, metrics aggregated). `auditMemory`
 * adds the audit trail (standard level, memory store). Goals are checked on the runs with no SDK.
 *
 * `toolCallValidator` times the validator on drafted tool calls alone, per call, against a baseline in
 * the same run: `textValidator`, the default validator on the 1 KB text draft (what the engine runs per
 * text draft); `p99RatioToText` is their p99 ratio. `toolLoop` is `agent.run` with a tool: two steps
 * (a drafted call validated, the tool run, the answer), against `answer1k` (one step) as `p50RatioTo1k` / `p99RatioTo1k`.
 */
import { performance } from 'node:perf_hooks';
import {
  type CascadeMiddleware, type ChatModel, type ChatRequest, type ChatResult, type LearningSignals, type QualityVerdict, type StreamPart, checkToolCalls, createCascadeAgent,
  createDefaultValidator, createPricing, tool,
} from '@cascade/core';
import { createTelemetryMiddleware } from '@cascade/core/otel';
import { createAuditTrail, createMemoryAuditStore } from '@cascade/profiles';
import { INVALID_SPAN_CONTEXT, type Tracer, type TracerProvider, createNoopMeter, metrics, trace } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { AlwaysOffSampler, BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { seededRandom } from '../quality/stream-metrics';
import { numberArg, parseArgs } from '../shared/args';
import { percentile, round } from '../shared/percentiles';

const PROMPT = 'Here is our egg log for the season. Go through it day by day and check every total, then give the weekly revenue at $2 a dozen.';

/** A worked answer of about `bytes` characters: varied steps whose arithmetic holds, in paragraphs (no repetition loop). */
function answerOf(bytes: number, broken: boolean): string {
  const words = ['crates', 'boxes', 'trays', 'bags', 'cartons', 'baskets', 'bundles'];
  let text = 'Let us work it out step by step, one quantity at a time.\n\n';
  let index = 0;
  while (text.length < bytes - 120) {
    const count = 3 + (index % 17);
    const each = 2 + ((index * 7) % 13);
    const unit = words[index % words.length]!;
    text += `On day ${index + 1} the farm fills ${count} ${unit} with ${each} eggs each, so ${count} * ${each} = ${count * each} eggs; `;
    text += `adding the ${index + 4} spare eggs gives ${count * each} + ${index + 4} = ${count * each + index + 4} eggs in total.${index % 4 === 3 ? '\n\n' : ' '}`;
    index++;
  }
  text += broken ? 'So the farm makes 28 * $2 = $54 a week.\n#### 54' : 'So the farm makes 28 * $2 = $56 a week.\n#### 56';
  return text;
}

/** A model that answers instantly with a fixed result (usage included, so no tokenizer runs per call). */
function instantModel(modelId: string, pick: () => ChatResult): ChatModel {
  return {
    specificationVersion: 'v1',
    provider: 'bench',
    modelId,
    doGenerate: (_request: ChatRequest): Promise<ChatResult> => Promise.resolve(pick()),
    async *doStream(): AsyncIterable<StreamPart> {
      const result = pick();
      yield { type: 'text-delta', text: result.text };
      yield { type: 'finish', finishReason: result.finishReason, usage: result.usage };
    },
  };
}

function resultOf(text: string): ChatResult {
  return { text, finishReason: 'stop', usage: { inputTokens: 40, outputTokens: Math.ceil(text.length / 4), source: 'provider' } };
}

async function measure(bytes: number, iterations: number, learning = true, middleware: CascadeMiddleware[] = [], afterEach?: (index: number) => void, signals?: LearningSignals, prompt = PROMPT): Promise<{ p50Us: number; p99Us: number; escalated: number; sampled: number }> {
  const good = resultOf(answerOf(bytes, false));
  const bad = resultOf(answerOf(bytes, true));
  let call = 0;
  // Every 4th request's draft is the broken one.
  const cheap = instantModel('bench-cheap', () => (call++ % 4 === 3 ? bad : good));
  const strong = instantModel('bench-strong', () => good);
  const agent = createCascadeAgent({
    models: [cheap, strong],
    validator: createDefaultValidator(),
    pricing: createPricing({
      prices: { 'bench-cheap': { inputUsdPerMTok: 0.15, outputUsdPerMTok: 0.6 }, 'bench-strong': { inputUsdPerMTok: 2.5, outputUsdPerMTok: 10 } },
      includeDefaults: false,
    }),
    // Learning is on by default (seeded here so runs compare); `false` measures the fixed-threshold engine.
    learning: learning ? { random: seededRandom(1), ...(signals ? { signals } : {}) } : false,
    middleware,
  });
  const request: ChatRequest = { messages: [{ role: 'user', content: prompt }], maxOutputTokens: 16_384 };
  const warmup = Math.max(200, Math.floor(iterations / 5));
  for (let index = 0; index < warmup; index++) await agent.run(request);
  const samples = new Float64Array(iterations);
  let escalated = 0;
  let sampled = 0;
  for (let index = 0; index < iterations; index++) {
    const started = performance.now();
    const result = await agent.run(request);
    samples[index] = (performance.now() - started) * 1000;
    if (result.escalated) escalated++;
    if (result.attempts[0]?.samples !== undefined) sampled++;
    afterEach?.(index);
  }
  return { p50Us: round(percentile(samples, 50), 1), p99Us: round(percentile(samples, 99), 1), escalated: round(escalated / iterations, 3), sampled: round(sampled / iterations, 3) };
}

/**
 * The validator on drafted tool calls (`checkToolCalls`, what the engine runs per tool-call draft): a
 * request with 8 tools, a draft with 2 calls whose arguments are checked against their JSON schemas
 * (Ajv, compiled once and cached), one draft in 4 with a schema violation. Synthetic inputs, not tuned on.
 */
function measureToolCalls(iterations: number): { p50Us: number; p99Us: number } {
  const tools = Array.from({ length: 8 }, (_, index) => ({
    type: 'function' as const,
    function: {
      name: `tool_${index}`,
      parameters: { type: 'object', properties: { city: { type: 'string', minLength: 1 }, days: { type: 'integer', minimum: 1, maximum: 14 }, units: { enum: ['c', 'f'] } }, required: ['city', 'days'], additionalProperties: false },
    },
  }));
  const request: ChatRequest = { messages: [{ role: 'user', content: PROMPT }], tools, toolChoice: 'required' };
  const draftOf = (bad: boolean): ChatResult => ({
    text: '', finishReason: 'tool-calls', usage: { inputTokens: 40, outputTokens: 30, source: 'provider' },
    toolCalls: [
      { id: 'a', type: 'function', function: { name: 'tool_3', arguments: '{"city":"Paris","days":3,"units":"c"}' } },
      { id: 'b', type: 'function', function: { name: 'tool_5', arguments: bad ? '{"city":"Rome","days":30}' : '{"city":"Rome","days":2}' } },
    ],
  });
  const good = draftOf(false);
  const bad = draftOf(true);
  const policy = { blockedTools: ['tool_7'] };
  for (let index = 0; index < 2000; index++) checkToolCalls(request, index % 4 === 3 ? bad : good, { modelId: 'bench-cheap', policy });
  const samples = new Float64Array(iterations);
  for (let index = 0; index < iterations; index++) {
    const draft = index % 4 === 3 ? bad : good;
    const started = performance.now();
    checkToolCalls(request, draft, { modelId: 'bench-cheap', policy });
    samples[index] = (performance.now() - started) * 1000;
  }
  return { p50Us: round(percentile(samples, 50), 2), p99Us: round(percentile(samples, 99), 2) };
}

/** The default validator on the 1 KB text draft (one in 4 broken), per call: the baseline of the tool-call validator. */
function measureTextValidator(iterations: number): { p50Us: number; p99Us: number } {
  const validator = createDefaultValidator();
  const request: ChatRequest = { messages: [{ role: 'user', content: PROMPT }] };
  const good = resultOf(answerOf(1024, false));
  const bad = resultOf(answerOf(1024, true));
  const validate = (index: number): QualityVerdict => validator.validate({ request, draft: index % 4 === 3 ? bad : good, modelId: 'bench-cheap', threshold: 0.7 }) as QualityVerdict;
  for (let index = 0; index < 2000; index++) validate(index);
  const samples = new Float64Array(iterations);
  for (let index = 0; index < iterations; index++) {
    const started = performance.now();
    validate(index);
    samples[index] = (performance.now() - started) * 1000;
  }
  return { p50Us: round(percentile(samples, 50), 2), p99Us: round(percentile(samples, 99), 2) };
}

/**
 * `agent.run` with one tool over zero-latency models: step 1 drafts a call (validated: tool allowed,
 * arguments against the schema; one draft in 4 has invalid arguments and escalates), the tool runs,
 * step 2 answers. Two cascades per request, each with its own pipeline pass.
 */
async function measureToolLoop(iterations: number): Promise<{ p50Us: number; p99Us: number }> {
  const answer = resultOf('Paris is at 19 °C today, a mild and sunny day.');
  const callOf = (args: string): ChatResult => ({
    text: '', finishReason: 'tool-calls', usage: { inputTokens: 40, outputTokens: 12, source: 'provider' },
    toolCalls: [{ id: 'call-1', type: 'function', function: { name: 'get_weather', arguments: args } }],
  });
  const goodCall = callOf('{"city":"Paris","days":1}');
  const badCall = callOf('{"city":"Paris","days":40}');
  let drafts = 0;
  const respond = (draftBad: () => boolean) => (request: ChatRequest): Promise<ChatResult> =>
    Promise.resolve(request.messages.at(-1)?.role === 'tool' ? answer : draftBad() ? badCall : goodCall);
  const model = (modelId: string, draftBad: () => boolean): ChatModel => ({
    specificationVersion: 'v1', provider: 'bench', modelId, doGenerate: respond(draftBad),
    async *doStream(): AsyncIterable<StreamPart> {
      yield { type: 'finish', finishReason: 'stop', usage: answer.usage };
    },
  });
  const agent = createCascadeAgent({
    models: [model('bench-cheap', () => drafts++ % 4 === 3), model('bench-strong', () => false)],
    pricing: createPricing({
      prices: { 'bench-cheap': { inputUsdPerMTok: 0.15, outputUsdPerMTok: 0.6 }, 'bench-strong': { inputUsdPerMTok: 2.5, outputUsdPerMTok: 10 } },
      includeDefaults: false,
    }),
    learning: { random: seededRandom(1) },
  });
  const tools = {
    get_weather: tool({
      description: 'Weather of a city',
      parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1, maximum: 14 } }, required: ['city', 'days'], additionalProperties: false },
      execute: ({ city }) => ({ city, celsius: 19 }),
    }),
  };
  const run = () => agent.run(PROMPT, { tools, maxSteps: 3 });
  // The case measures what it says: two steps, and the broken draft escalates.
  const checks = await Promise.all([run(), run(), run(), run()]);
  if (checks.some((result) => result.steps?.length !== 2) || !checks.some((result) => result.steps![0]!.escalated)) throw new Error('tool loop bench: expected 2 steps and one escalated call draft in 4');
  const warmup = Math.max(200, Math.floor(iterations / 5));
  for (let index = 0; index < warmup; index++) await run();
  const samples = new Float64Array(iterations);
  for (let index = 0; index < iterations; index++) {
    const started = performance.now();
    await run();
    samples[index] = (performance.now() - started) * 1000;
  }
  return { p50Us: round(percentile(samples, 50), 1), p99Us: round(percentile(samples, 99), 1) };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const iterations = numberArg(args, 'iterations', 20_000);
  const answer1k = await measure(1024, iterations);
  const answer32k = await measure(32 * 1024, Math.max(500, Math.floor(iterations / 4)));
  const learningOff = await measure(1024, iterations, false);
  // A quantitative question (kind `number`), so agreement is sampled: the free-text PROMPT would not be.
  const signalsOn = await measure(1024, iterations, true, [], undefined, { logprobs: true, agreement: true }, `${PROMPT} How much does the farm make a week?`);
  const telemetryNoSdk = await measure(1024, iterations, true, [createTelemetryMiddleware()]);
  // A registered no-op: global providers whose spans never record.
  const noopTracer: Tracer = {
    startSpan: () => trace.wrapSpanContext(INVALID_SPAN_CONTEXT),
    startActiveSpan: (() => { throw new Error('unused'); }) as Tracer['startActiveSpan'],
  };
  const noopProvider: TracerProvider = { getTracer: () => noopTracer };
  trace.setGlobalTracerProvider(noopProvider);
  const noopMeter = createNoopMeter();
  metrics.setGlobalMeterProvider({ getMeter: () => noopMeter });
  const telemetryNoopSdk = await measure(1024, iterations, true, [createTelemetryMiddleware()]);
  trace.disable();
  metrics.disable();
  // The SDK registered, sampling nothing, no metric reader.
  const sampledOffTracer = new BasicTracerProvider({ sampler: new AlwaysOffSampler(), spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())] });
  const readerless = new MeterProvider({});
  trace.setGlobalTracerProvider(sampledOffTracer);
  metrics.setGlobalMeterProvider(readerless);
  const telemetrySdkSampledOff = await measure(1024, iterations, true, [createTelemetryMiddleware()]);
  trace.disable();
  metrics.disable();
  await Promise.all([sampledOffTracer.shutdown(), readerless.shutdown()]);
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const meterProvider = new MeterProvider({ readers: [new ManualReader()] });
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  // Drop exported spans now and then so memory stays flat, as a real exporter would.
  let recorded = 0;
  const telemetryInMemorySdk = await measure(1024, iterations, true, [createTelemetryMiddleware()], (index) => {
    if (index % 1000 !== 999) return;
    recorded += exporter.getFinishedSpans().length;
    exporter.reset();
  });
  if (recorded === 0) throw new Error('The in-memory SDK recorded no span: the telemetry bench measured nothing.');
  trace.disable();
  metrics.disable();
  await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
  const trail = createAuditTrail({}, { store: createMemoryAuditStore() });
  const auditMemory = await measure(1024, iterations, true, [trail.middleware]);
  await trail.close();
  const toolCalls = measureToolCalls(iterations);
  const textValidator = measureTextValidator(iterations);
  const toolCallValidator = { ...toolCalls, p99RatioToText: round(toolCalls.p99Us / textValidator.p99Us, 3) };
  const loop = await measureToolLoop(Math.max(500, Math.floor(iterations / 4)));
  const toolLoop = { ...loop, p50RatioTo1k: round(loop.p50Us / answer1k.p50Us, 2), p99RatioTo1k: round(loop.p99Us / answer1k.p99Us, 2) };
  const report = {
    toolCallValidator,
    textValidator,
    toolLoop,
    answer1k: { p50Us: answer1k.p50Us, p99Us: answer1k.p99Us },
    answer1kLearningOff: { p50Us: learningOff.p50Us, p99Us: learningOff.p99Us },
    answer1kSignals: { p50Us: signalsOn.p50Us, p99Us: signalsOn.p99Us, sampledShare: signalsOn.sampled },
    answer32k: { p50Us: answer32k.p50Us, p99Us: answer32k.p99Us },
    telemetryNoSdk: { p50Us: telemetryNoSdk.p50Us, p99Us: telemetryNoSdk.p99Us },
    telemetryNoopSdk: { p50Us: telemetryNoopSdk.p50Us, p99Us: telemetryNoopSdk.p99Us },
    telemetrySdkSampledOff: { p50Us: telemetrySdkSampledOff.p50Us, p99Us: telemetrySdkSampledOff.p99Us },
    telemetryInMemorySdk: { p50Us: telemetryInMemorySdk.p50Us, p99Us: telemetryInMemorySdk.p99Us },
    auditMemory: { p50Us: auditMemory.p50Us, p99Us: auditMemory.p99Us },
    escalationRate: answer1k.escalated,
    goals: {
      answer1k: met(answer1k, 50, 200),
      answer32k: answer32k.p99Us <= 2000,
      telemetryNoSdk: met(telemetryNoSdk, 50, 200),
    },
    node: process.version,
  };
  if (args.get('json') === true) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  process.stdout.write(
    [
      'engine overhead per request (zero-latency models; 1 in 4 drafts broken)',
      `1 KB answer:  p50 ${report.answer1k.p50Us} µs   p99 ${report.answer1k.p99Us} µs   (goal p50 ≤ 50, p99 ≤ 200; learning on, the default)`,
      `1 KB answer, learning off: p50 ${report.answer1kLearningOff.p50Us} µs   p99 ${report.answer1kLearningOff.p99Us} µs`,
      `1 KB answer, live signals on (logprobs, 3 sampled drafts): p50 ${report.answer1kSignals.p50Us} µs   p99 ${report.answer1kSignals.p99Us} µs   (no goal; ${report.answer1kSignals.sampledShare * 100}% of requests drafted with samples)`,
      `32 KB answer: p50 ${report.answer32k.p50Us} µs   p99 ${report.answer32k.p99Us} µs   (goal p99 ≤ 2000)`,
      `1 KB + telemetry, no SDK registered:      p50 ${report.telemetryNoSdk.p50Us} µs   p99 ${report.telemetryNoSdk.p99Us} µs   (goals above still apply)`,
      `1 KB + telemetry, no-op providers registered: p50 ${report.telemetryNoopSdk.p50Us} µs   p99 ${report.telemetryNoopSdk.p99Us} µs`,
      `1 KB + telemetry, SDK registered, sampling off, no metric reader: p50 ${report.telemetrySdkSampledOff.p50Us} µs   p99 ${report.telemetrySdkSampledOff.p99Us} µs`,
      `1 KB + telemetry, in-memory SDK:          p50 ${report.telemetryInMemorySdk.p50Us} µs   p99 ${report.telemetryInMemorySdk.p99Us} µs`,
      `1 KB + audit trail (standard, memory):    p50 ${report.auditMemory.p50Us} µs   p99 ${report.auditMemory.p99Us} µs`,
      `goals (p50 ≤ 50 µs, p99 ≤ 200 µs at 1 KB; p99 ≤ 2000 µs at 32 KB): 1 KB ${yes(report.goals.answer1k)}, 32 KB ${yes(report.goals.answer32k)}, 1 KB + telemetry with no SDK ${yes(report.goals.telemetryNoSdk)}`,
      `validator on tool calls (8 tools, 2 calls, JSON-schema args, 1 in 4 invalid): p50 ${report.toolCallValidator.p50Us} µs   p99 ${report.toolCallValidator.p99Us} µs per call`,
      `  baseline, validator on the 1 KB text draft: p50 ${report.textValidator.p50Us} µs   p99 ${report.textValidator.p99Us} µs per call   → tool-call p99 / text p99 = ${report.toolCallValidator.p99RatioToText}`,
      `tool loop (2 steps: drafted call validated, tool run, answer): p50 ${report.toolLoop.p50Us} µs   p99 ${report.toolLoop.p99Us} µs   → ratio to the 1 KB answer: p50 ${report.toolLoop.p50RatioTo1k}, p99 ${report.toolLoop.p99RatioTo1k}`,
    ].join('\n') + '\n',
  );
}

function met(run: { p50Us: number; p99Us: number }, p50GoalUs: number, p99GoalUs: number): boolean {
  return run.p50Us <= p50GoalUs && run.p99Us <= p99GoalUs;
}
const yes = (value: boolean): string => (value ? 'met' : 'NOT met');

/** A metric reader nobody collects from: instruments aggregate, nothing is exported. */
class ManualReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
