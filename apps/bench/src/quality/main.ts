/**
 * `pnpm bench:quality --traces <file> [--json] [--data-dir <dir>] [--limit <n>]`
 *
 * Replays a trace file through the real engine (`createCascadeAgent` + replay models + the default
 * validator), cheapest and strongest model of the file's `models.json`, at the shipped default
 * quality target; then sweeps thresholds over the drafts' scores (each draft scored once) and
 * checks the sweep against the engine at two more thresholds.
 */
import { DEFAULT_QUALITY_TARGET, countMessageTokens, countTokens, createCascadeAgent, createDefaultValidator, createPricing, type ChatRequest } from '@cascade/core';
import { createReplayModels, modelsByCost, readTraceFile, readTraceModels, replayPrices, type Trace } from '@cascade/core/replay';
import { parseArgs, numberArg, stringArg } from '../shared/args';
import { resolveDataFile } from '../shared/data-dir';
import { round } from '../shared/percentiles';
import { type CascadePoint, type ScoredRow, baselines, cascadeAt, randomAt, savingsAt95, sweepThresholds } from './metrics';

const DEFAULT_TRACES = 'traces/gsm8k-routellm.traces.jsonl';

function labelOf(trace: Trace, modelId: string): number {
  const response = trace.responses[modelId];
  if (!response) throw new Error(`Trace ${trace.id} has no answer of ${modelId}.`);
  if (typeof response.correct === 'boolean') return response.correct ? 1 : 0;
  if (typeof response.score === 'number') return response.score;
  throw new Error(`Trace ${trace.id}: the answer of ${modelId} has neither "correct" nor "score".`);
}

interface EngineFigures {
  threshold: number;
  quality: number;
  costUsd: number;
  acceptRate: number;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const json = args.get('json') === true;
  const tracesPath = resolveDataFile(args, stringArg(args, 'traces', DEFAULT_TRACES)!);
  const modelsPath = tracesPath.replace(/\.traces\.jsonl$/, '.models.json');
  const limit = numberArg(args, 'limit', Number.POSITIVE_INFINITY);

  const allTraces = await readTraceFile(tracesPath);
  const traces = allTraces.slice(0, limit);
  const models = await readTraceModels(modelsPath);
  const byCost = modelsByCost(models);
  const cheapModel = byCost[0]!;
  const strongModel = byCost[byCost.length - 1]!;
  const pricing = createPricing({ prices: replayPrices(models), includeDefaults: false });
  const validator = createDefaultValidator();
  const replay = createReplayModels(traces, [cheapModel, strongModel], { pacing: false, source: tracesPath });

  // Each draft scored once; token counts as the replay models report them (trace, else tokenizer).
  const rows: ScoredRow[] = [];
  const requests: ChatRequest[] = [];
  for (const trace of traces) {
    const request: ChatRequest = { messages: [{ role: 'user', content: trace.prompt }] };
    requests.push(request);
    const cheap = trace.responses[cheapModel]!;
    const strong = trace.responses[strongModel]!;
    const inputTokens = countMessageTokens(request.messages);
    const costOf = (modelId: string, response: typeof cheap): number =>
      pricing.costOf(modelId, { inputTokens: response.inputTokens ?? inputTokens, outputTokens: response.outputTokens ?? countTokens(response.text), source: 'provider' });
    const draft = await replay[0]!.doGenerate(request);
    const verdict = await validator.validate({ request, draft, modelId: cheapModel, threshold: DEFAULT_QUALITY_TARGET });
    // Complexity routing depends on the target: find the lowest target that routes this query.
    let routeFrom = Number.POSITIVE_INFINITY;
    if (validator.assessComplexity) {
      for (let target = 0; target <= 1.0001; target += 0.01) {
        if (validator.assessComplexity(request, 2, target).startTier > 0) {
          routeFrom = target - 1e-9;
          break;
        }
      }
    }
    rows.push({
      cheapQuality: labelOf(trace, cheapModel),
      strongQuality: labelOf(trace, strongModel),
      cheapCostUsd: costOf(cheapModel, cheap),
      strongCostUsd: costOf(strongModel, strong),
      score: verdict.score,
      routeFrom,
    });
  }

  const runEngine = async (threshold: number | undefined): Promise<EngineFigures> => {
    const agent = createCascadeAgent({ models: replay, validator, pricing, ...(threshold === undefined ? {} : { policy: { qualityTarget: threshold } }) });
    let quality = 0;
    let cost = 0;
    let accepted = 0;
    for (let index = 0; index < traces.length; index++) {
      const result = await agent.run(requests[index]!);
      quality += labelOf(traces[index]!, result.modelId);
      cost += result.costUsd;
      if (result.modelId === cheapModel) accepted++;
    }
    const n = Math.max(1, traces.length);
    return { threshold: threshold ?? DEFAULT_QUALITY_TARGET, quality: quality / n, costUsd: cost, acceptRate: accepted / n };
  };

  const engine = await runEngine(undefined);
  const { cheap, strong, oracle } = baselines(rows);
  const shipped = cascadeAt(rows, engine.threshold, strong);
  const curve = sweepThresholds([DEFAULT_QUALITY_TARGET]).map((threshold) => cascadeAt(rows, threshold, strong));

  // The sweep must equal the engine: check it at two more thresholds.
  const checks: { threshold: number; engine: EngineFigures; sweep: CascadePoint; matches: boolean }[] = [];
  for (const threshold of [0.5, 0.85]) {
    const figures = await runEngine(threshold);
    const sweep = cascadeAt(rows, threshold, strong);
    checks.push({ threshold, engine: figures, sweep, matches: sameFigures(figures, sweep) });
  }
  checks.push({ threshold: engine.threshold, engine, sweep: shipped, matches: sameFigures(engine, shipped) });

  const cascade = {
    quality: engine.quality,
    costUsd: engine.costUsd,
    acceptRate: engine.acceptRate,
    savings: 1 - engine.costUsd / strong.costUsd,
    qualityShare: engine.quality / strong.quality,
  };
  const report = {
    dataset: traces[0]?.dataset ?? tracesPath,
    n: traces.length,
    cheapModel,
    strongModel,
    cheap: figures(cheap),
    strong: figures(strong),
    oracle: figures(oracle),
    random: figures(randomAt(rows, cascade.acceptRate)),
    cascade: { quality: round(cascade.quality), costUsd: round(cascade.costUsd, 6), acceptRate: round(cascade.acceptRate), savings: round(cascade.savings), qualityShare: round(cascade.qualityShare) },
    curve: curve.map((point) => ({
      threshold: point.threshold,
      quality: round(point.quality),
      costUsd: round(point.costUsd, 6),
      acceptRate: round(point.acceptRate),
      savings: round(point.savings),
      qualityShare: round(point.qualityShare),
    })),
    savingsAt95: nullableRound(savingsAt95(curve)),
    threshold: engine.threshold,
    sweepMatchesEngine: checks.every((check) => check.matches),
    sweepChecks: checks.map((check) => ({ threshold: check.threshold, engineQuality: round(check.engine.quality), sweepQuality: round(check.sweep.quality), engineCostUsd: round(check.engine.costUsd, 6), sweepCostUsd: round(check.sweep.costUsd, 6) })),
    source: models.source,
    license: models.license,
  };

  if (json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  printTable(report, tracesPath);
}

function sameFigures(engine: EngineFigures, sweep: CascadePoint): boolean {
  return Math.abs(engine.quality - sweep.quality) < 1e-9 && Math.abs(engine.costUsd - sweep.costUsd) <= 1e-9 * Math.max(1, sweep.costUsd) && Math.abs(engine.acceptRate - sweep.acceptRate) < 1e-9;
}

function figures(policy: { quality: number; costUsd: number }): { quality: number; costUsd: number } {
  return { quality: round(policy.quality), costUsd: round(policy.costUsd, 6) };
}

function nullableRound(value: number | null): number | null {
  return value === null ? null : round(value);
}

function printTable(report: {
  dataset: string; n: number; cheapModel: string; strongModel: string;
  cheap: { quality: number; costUsd: number }; strong: { quality: number; costUsd: number };
  oracle: { quality: number; costUsd: number }; random: { quality: number; costUsd: number };
  cascade: { quality: number; costUsd: number; acceptRate: number; savings: number; qualityShare: number };
  curve: readonly { threshold: number; quality: number; costUsd: number; acceptRate: number; savings: number; qualityShare: number }[];
  savingsAt95: number | null; threshold: number; sweepMatchesEngine: boolean; source: string | undefined; license: string | undefined;
}, path: string): void {
  const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;
  const usd = (value: number): string => `$${value.toFixed(4)}`;
  const lines: string[] = [];
  lines.push(`${report.dataset}: ${report.n} queries from ${path}`);
  lines.push(`cheap ${report.cheapModel} → strong ${report.strongModel} (source ${report.source ?? 'unknown'}, ${report.license ?? 'license unknown'})`);
  lines.push('');
  lines.push('policy     quality   cost');
  for (const [name, value] of [['cheap', report.cheap], ['strong', report.strong], ['oracle', report.oracle], ['random', report.random]] as const) {
    lines.push(`${name.padEnd(10)} ${value.quality.toFixed(3).padStart(7)}   ${usd(value.costUsd)}`);
  }
  const c = report.cascade;
  lines.push(`cascade    ${c.quality.toFixed(3).padStart(7)}   ${usd(c.costUsd)}   accept ${percent(c.acceptRate)}, savings ${percent(c.savings)}, quality share ${percent(c.qualityShare)} (target ${report.threshold})`);
  lines.push('');
  lines.push('threshold  quality  accept   savings  share');
  for (const point of report.curve) {
    lines.push(`${point.threshold.toFixed(2).padStart(9)}  ${point.quality.toFixed(3).padStart(7)}  ${percent(point.acceptRate).padStart(6)}  ${percent(point.savings).padStart(7)}  ${percent(point.qualityShare).padStart(6)}`);
  }
  lines.push('');
  lines.push(`savings at ≥95% of strong quality: ${report.savingsAt95 === null ? 'none' : percent(report.savingsAt95)}`);
  lines.push(`sweep equals the engine at the checked thresholds: ${report.sweepMatchesEngine ? 'yes' : 'NO'}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
