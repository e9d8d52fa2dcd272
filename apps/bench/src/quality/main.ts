/**
 * `pnpm bench:quality --traces <file> [--models a,b,c] [--seed n] [--json] [--data-dir <dir>] [--limit <n>] [--no-sweep] [--plot <file.svg>]`
 *
 * Replays a trace file in a fixed-seed shuffled order through ONE long-lived agent
 * (`createCascadeAgent` + replay models, shipped defaults: learning on, no quality target override),
 * learning as it goes, and reports its quality, cost (audits and judge calls included), its own
 * estimate of the quality share it keeps, the second half of the stream, and the baselines: cheap
 * and strong alone, the oracle, random escalation at the same accept rate, and the random router at
 * the cascade's quality. `checks` evaluates the issue's conditions. `curve`/`savingsAt95` are the
 * old fixed validator-score threshold sweep (cheapest → strongest, learning off), for reference.
 * `--plot` also writes an SVG of quality share against savings with the random and oracle baselines.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DEFAULT_QUALITY_SHARE, DEFAULT_QUALITY_TARGET, createDefaultValidator, createPricing } from '@cascade/core';
import { readTraceFile, readTraceModels, replayPrices } from '@cascade/core/replay';
import { numberArg, parseArgs, stringArg } from '../shared/args';
import { resolveDataFile } from '../shared/data-dir';
import { round } from '../shared/percentiles';
import { runLearning } from './learning-run';
import { estimateOf } from './learning-estimate';
import { type PolicyFigures, savingsAt95 } from './metrics';
import { renderQualityPlot } from './quality-plot';
import { type QualityChecks, byDataset, qualityChecks, randomRouter, secondHalf, seededRandom, shuffled, summarizeStream } from './stream-metrics';
import { sweepFixedThresholds } from './threshold-sweep';
import { callCost, isScoreLabelled, labelOf, pickTiers } from './trace-tiers';

const DEFAULT_TRACES = 'traces/gsm8k-routellm.traces.jsonl';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const json = args.get('json') === true;
  const tracesPath = resolveDataFile(args, stringArg(args, 'traces', DEFAULT_TRACES)!);
  const modelsPath = tracesPath.replace(/\.traces\.jsonl$/, '.models.json');
  const limit = numberArg(args, 'limit', Number.POSITIVE_INFINITY);
  const seed = numberArg(args, 'seed', 1);

  const models = await readTraceModels(modelsPath);
  const tiers = pickTiers(models, stringArg(args, 'models'));
  const cheapModel = tiers[0]!;
  const strongModel = tiers[tiers.length - 1]!;
  // Rows the cheapest and strongest tier both answered (a multi-model file may lack a mid tier's answer).
  const traces = (await readTraceFile(tracesPath)).filter((trace) => labelOf(trace, cheapModel) !== undefined && labelOf(trace, strongModel) !== undefined).slice(0, limit);
  const pricing = createPricing({ prices: replayPrices(models), includeDefaults: false });
  const order = shuffled(traces, seededRandom(seed));

  const run = await runLearning({ traces, order, tiers, pricing, seed, scoreLabelled: isScoreLabelled(traces), source: tracesPath });
  const whole = summarizeStream(run.records);
  const later = secondHalf(run.records);

  const cheap = policy(traces.map((trace) => ({ quality: labelOf(trace, cheapModel)!, costUsd: callCost(trace, cheapModel, pricing) })));
  const strong = policy(traces.map((trace) => ({ quality: labelOf(trace, strongModel)!, costUsd: callCost(trace, strongModel, pricing) })));
  // The oracle answers with the cheapest tier whose answer is as good as the strongest's.
  const oracle = policy(traces.map((trace) => {
    const best = labelOf(trace, strongModel)!;
    const tier = tiers.find((id) => (labelOf(trace, id) ?? -1) >= best) ?? strongModel;
    return { quality: labelOf(trace, tier)!, costUsd: callCost(trace, tier, pricing) };
  }));
  const router = randomRouter(cheap, strong, whole.quality);
  const estimate = estimateOf(run.stats, traces.length);
  // A file may mix sets (routerbench-train: ARC-Challenge, Winogrande, MBPP): name them all.
  const datasets = [...new Set(traces.map((trace) => trace.dataset).filter((name): name is string => typeof name === 'string'))];
  const dataset = datasets.length > 0 ? datasets.join('+') : tracesPath;
  const checks = qualityChecks({ n: traces.length, dataset, cascade: { qualityShare: whole.qualityShare, costUsd: whole.costUsd, savings: whole.savings, estimatedShare: estimate?.estimatedShare }, randomRouter: router, strong });

  const sweep = args.get('no-sweep') === true ? undefined : await sweepFixedThresholds({ traces, cheapModel, strongModel, pricing, validator: createDefaultValidator(), source: tracesPath });
  const curve = sweep?.curve ?? [];

  const report = {
    dataset,
    n: traces.length,
    seed,
    models: tiers,
    cheapModel,
    strongModel,
    target: DEFAULT_QUALITY_SHARE,
    cheap: figures(cheap),
    strong: figures(strong),
    oracle: figures(oracle),
    // Draft everything with the cheapest tier and escalate a random share, at the cascade's accept rate.
    random: figures({ quality: whole.acceptRate * cheap.quality + (1 - whole.acceptRate) * strong.quality, costUsd: cheap.costUsd + (1 - whole.acceptRate) * strong.costUsd }),
    randomRouter: { quality: round(router.quality), costUsd: round(router.costUsd, 6), cheapShare: round(router.cheapShare) },
    cascade: {
      quality: round(whole.quality),
      costUsd: round(whole.costUsd, 6),
      acceptRate: round(whole.acceptRate),
      savings: round(whole.savings),
      qualityShare: round(whole.qualityShare),
      auditCostUsd: round(whole.auditCostUsd, 6),
      estimatedShare: estimate ? round(estimate.estimatedShare) : null,
      interval: estimate ? estimate.interval.map((bound) => round(bound)) : null,
      secondHalf: { quality: round(later.quality), costUsd: round(later.costUsd, 6), savings: round(later.savings), qualityShare: round(later.qualityShare), acceptRate: round(later.acceptRate) },
      answeredBy: run.answeredBy,
      decisions: run.decisions,
      audited: run.audited,
      auditEvents: run.auditEvents,
      judgeCalls: run.judgeCalls,
      failed: run.failed,
      elapsedMs: Math.round(run.elapsedMs),
      drafters: estimate?.drafters ?? [],
      // A mixed file's sets one by one (quality share, savings and accept rate per set).
      ...(datasets.length > 1 ? { byDataset: Object.fromEntries(Object.entries(byDataset(run.records)).map(([name, figures]) => [name, { n: figures.n, qualityShare: round(figures.qualityShare), savings: round(figures.savings), acceptRate: round(figures.acceptRate) }])) } : {}),
    },
    checks,
    curve: curve.map((point) => ({ threshold: point.threshold, quality: round(point.quality), costUsd: round(point.costUsd, 6), acceptRate: round(point.acceptRate), savings: round(point.savings), qualityShare: round(point.qualityShare) })),
    savingsAt95: sweep ? nullableRound(savingsAt95(curve)) : null,
    threshold: DEFAULT_QUALITY_TARGET,
    sweepMatchesEngine: sweep ? sweep.checks.every((check) => check.matches) : null,
    sweepChecks: (sweep?.checks ?? []).map((check) => ({ threshold: check.threshold, engineQuality: round(check.engine.quality), sweepQuality: round(check.sweep.quality), engineCostUsd: round(check.engine.costUsd, 6), sweepCostUsd: round(check.sweep.costUsd, 6) })),
    source: models.source,
    license: models.license,
  };

  const plotPath = stringArg(args, 'plot');
  if (plotPath) {
    const svg = renderQualityPlot({
      title: `${report.dataset}: ${report.n} queries, ${report.models.join(' → ')}, seed ${report.seed}`,
      note: `Replayed from ${tracesPath.split('/').slice(-2).join('/')}; the cascade learns online from this stream, no row was used to train or tune it beforehand.`,
      target: report.target, cheap: report.cheap, strong: report.strong, oracle: report.oracle, cascade: report.cascade, curve: report.curve,
    });
    // Relative to where the command was typed (pnpm runs the script in apps/bench).
    const target = resolve(process.env.INIT_CWD ?? process.cwd(), plotPath);
    await writeFile(target, svg);
    if (!json) process.stdout.write(`plot written to ${target}\n`);
  }
  if (json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  printReport(report, tracesPath);
}

function policy(answers: readonly PolicyFigures[]): PolicyFigures {
  return { quality: answers.reduce((sum, answer) => sum + answer.quality, 0) / Math.max(1, answers.length), costUsd: answers.reduce((sum, answer) => sum + answer.costUsd, 0) };
}

function figures(value: PolicyFigures): PolicyFigures {
  return { quality: round(value.quality), costUsd: round(value.costUsd, 6) };
}

function nullableRound(value: number | null): number | null {
  return value === null ? null : round(value);
}

type Report = {
  dataset: string; n: number; seed: number; models: string[]; target: number;
  cheap: PolicyFigures; strong: PolicyFigures; oracle: PolicyFigures; random: PolicyFigures;
  randomRouter: PolicyFigures & { cheapShare: number };
  cascade: {
    quality: number; costUsd: number; acceptRate: number; savings: number; qualityShare: number; auditCostUsd: number;
    estimatedShare: number | null; interval: number[] | null; secondHalf: { quality: number; costUsd: number; savings: number; qualityShare: number; acceptRate: number };
    answeredBy: Record<string, number>; decisions: Record<string, number>; audited: number; judgeCalls: number; failed: number; elapsedMs: number;
    byDataset?: Record<string, { n: number; qualityShare: number; savings: number; acceptRate: number }>;
  };
  checks: QualityChecks;
  curve: readonly { threshold: number; quality: number; acceptRate: number; savings: number; qualityShare: number }[];
  savingsAt95: number | null; threshold: number; sweepMatchesEngine: boolean | null; source: string | undefined; license: string | undefined;
};

function printReport(report: Report, path: string): void {
  const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;
  const usd = (value: number): string => `$${value.toFixed(4)}`;
  const mark = (value: boolean | null): string => (value === null ? 'n/a' : value ? 'pass' : 'FAIL');
  const c = report.cascade;
  const lines: string[] = [];
  lines.push(`${report.dataset}: ${report.n} queries from ${path}, shuffled with seed ${report.seed}`);
  lines.push(`tiers ${report.models.join(' → ')} (source ${report.source ?? 'unknown'}, ${report.license ?? 'license unknown'})`);
  lines.push('');
  lines.push('policy         quality   cost');
  for (const [name, value] of [['cheap', report.cheap], ['strong', report.strong], ['oracle', report.oracle], ['random', report.random], ['randomRouter', report.randomRouter]] as const) {
    lines.push(`${name.padEnd(14)} ${value.quality.toFixed(3).padStart(7)}   ${usd(value.costUsd)}`);
  }
  lines.push(`cascade        ${c.quality.toFixed(3).padStart(7)}   ${usd(c.costUsd)}   share ${percent(c.qualityShare)} (target ${percent(report.target)}), savings ${percent(c.savings)}, accept ${percent(c.acceptRate)}, audits ${usd(c.auditCostUsd)}`);
  lines.push(`  its own estimate: ${c.estimatedShare === null ? 'none' : `${percent(c.estimatedShare)}${c.interval ? ` [${c.interval.map(percent).join(', ')}]` : ''}`}; second half: share ${percent(c.secondHalf.qualityShare)}, savings ${percent(c.secondHalf.savings)}, accept ${percent(c.secondHalf.acceptRate)}`);
  lines.push(`  decisions ${JSON.stringify(c.decisions)}, audited ${c.audited}, judge calls ${c.judgeCalls}, failed ${c.failed}, ${c.elapsedMs} ms`);
  for (const [name, figures] of Object.entries(c.byDataset ?? {})) {
    lines.push(`  ${name} (${figures.n}): share ${percent(figures.qualityShare)}, savings ${percent(figures.savings)}, accept ${percent(figures.acceptRate)}`);
  }
  lines.push(`  checks: ${Object.entries(report.checks).map(([name, value]) => `${name} ${mark(value)}`).join(', ')}`);
  if (report.curve.length > 0) {
    lines.push('');
    lines.push(`reference: fixed validator-score threshold, ${report.models[0]} → ${report.models[report.models.length - 1]}, learning off`);
    lines.push('threshold  quality  accept   savings  share');
    for (const point of report.curve) {
      lines.push(`${point.threshold.toFixed(2).padStart(9)}  ${point.quality.toFixed(3).padStart(7)}  ${percent(point.acceptRate).padStart(6)}  ${percent(point.savings).padStart(7)}  ${percent(point.qualityShare).padStart(6)}`);
    }
    lines.push(`savings at ≥95% of strong quality on the sweep: ${report.savingsAt95 === null ? 'none' : percent(report.savingsAt95)}; sweep equals the engine: ${report.sweepMatchesEngine ? 'yes' : 'NO'}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
