/**
 * `pnpm bench:overhead [--json] [--iterations <n>]`
 *
 * The engine's own time per request (`agent.run`: pipeline, complexity routing, validation,
 * pricing, the learner's decision, result assembly) with zero-latency models, for a 1 KB and a 32 KB
 * answer. One draft in 4 has broken arithmetic. With learning on (the default) the learner decides
 * accept / escalate / route and buys background audits (their work runs between requests, as live);
 * `answer1kLearningOff` is the fixed-threshold engine (`learning: false`) on the same requests.
 *
 * Telemetry (`@cascade/core/otel`) on the 1 KB case: `telemetryNoSdk` with the middleware added and no
 * OpenTelemetry SDK registered (the API's no-op), `telemetryNoopSdk` with no-op tracer and meter providers
 * registered globally, `telemetrySdkSampledOff` with the real SDK registered globally but sampling nothing
 * and no metric reader (what `OTEL_TRACES_SAMPLER=always_off` gives), `telemetryInMemorySdk` with the real
 * SDK registered globally (every span recorded, in-memory exporter, metrics aggregated). `auditMemory`
 * adds the audit trail (standard level, memory store). Goals are checked on the runs with no SDK.
 *
 * `toolCallValidator` times the validator on drafted tool calls alone, per call.
 */
import { performance } from 'node:perf_hooks';
import { type CascadeMiddleware, type ChatModel, type ChatRequest, type ChatResult, type StreamPart, checkToolCalls, createCascadeAgent, createDefaultValidator, createPricing } from '@cascade/core';
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

async function measure(bytes: number, iterations: number, learning = true, middleware: CascadeMiddleware[] = [], afterEach?: (index: number) => void): Promise<{ p50Us: number; p99Us: number; escalated: number }> {
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
    learning: learning ? { random: seededRandom(1) } : false,
    middleware,
  });
  const request: ChatRequest = { messages: [{ role: 'user', content: PROMPT }], maxOutputTokens: 16_384 };
  const warmup = Math.max(200, Math.floor(iterations / 5));
  for (let index = 0; index < warmup; index++) await agent.run(request);
  const samples = new Float64Array(iterations);
  let escalated = 0;
  for (let index = 0; index < iterations; index++) {
    const started = performance.now();
    const result = await agent.run(request);
    samples[index] = (performance.now() - started) * 1000;
    if (result.escalated) escalated++;
    afterEach?.(index);
  }
  return { p50Us: round(percentile(samples, 50), 1), p99Us: round(percentile(samples, 99), 1), escalated: round(escalated / iterations, 3) };
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

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const iterations = numberArg(args, 'iterations', 20_000);
  const answer1k = await measure(1024, iterations);
  const answer32k = await measure(32 * 1024, Math.max(500, Math.floor(iterations / 4)));
  const learningOff = await measure(1024, iterations, false);
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
  const toolCallValidator = measureToolCalls(iterations);
  const report = {
    toolCallValidator,
    answer1k: { p50Us: answer1k.p50Us, p99Us: answer1k.p99Us },
    answer1kLearningOff: { p50Us: learningOff.p50Us, p99Us: learningOff.p99Us },
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
      `32 KB answer: p50 ${report.answer32k.p50Us} µs   p99 ${report.answer32k.p99Us} µs   (goal p99 ≤ 2000)`,
      `1 KB + telemetry, no SDK registered:      p50 ${report.telemetryNoSdk.p50Us} µs   p99 ${report.telemetryNoSdk.p99Us} µs   (goals above still apply)`,
      `1 KB + telemetry, no-op providers registered: p50 ${report.telemetryNoopSdk.p50Us} µs   p99 ${report.telemetryNoopSdk.p99Us} µs`,
      `1 KB + telemetry, SDK registered, sampling off, no metric reader: p50 ${report.telemetrySdkSampledOff.p50Us} µs   p99 ${report.telemetrySdkSampledOff.p99Us} µs`,
      `1 KB + telemetry, in-memory SDK:          p50 ${report.telemetryInMemorySdk.p50Us} µs   p99 ${report.telemetryInMemorySdk.p99Us} µs`,
      `1 KB + audit trail (standard, memory):    p50 ${report.auditMemory.p50Us} µs   p99 ${report.auditMemory.p99Us} µs`,
      `goals (p50 ≤ 50 µs, p99 ≤ 200 µs at 1 KB; p99 ≤ 2000 µs at 32 KB): 1 KB ${yes(report.goals.answer1k)}, 32 KB ${yes(report.goals.answer32k)}, 1 KB + telemetry with no SDK ${yes(report.goals.telemetryNoSdk)}`,
      `validator on tool calls (8 tools, 2 calls, JSON-schema args, 1 in 4 invalid): p50 ${report.toolCallValidator.p50Us} µs   p99 ${report.toolCallValidator.p99Us} µs per call`,
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
