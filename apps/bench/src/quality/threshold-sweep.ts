import { DEFAULT_QUALITY_TARGET, type Pricing, type QualityValidator, createCascadeAgent } from '@cascade/core';
import { type Trace, createReplayModels } from '@cascade/core/replay';
import { type CascadePoint, type ScoredRow, cascadeAt, sweepThresholds } from './metrics';
import { callCost, labelOf, requestOf } from './trace-tiers';

/** The old fixed-threshold cascade (expert `qualityTarget` override, learning off), kept for reference. */
export interface ThresholdSweep {
  rows: ScoredRow[];
  curve: CascadePoint[];
  /** The engine run at a few thresholds, against the sweep: they must agree. */
  checks: { threshold: number; engine: EngineFigures; sweep: CascadePoint; matches: boolean }[];
}

/** Figures of one engine run over the traces. */
export interface EngineFigures {
  threshold: number;
  quality: number;
  costUsd: number;
  acceptRate: number;
}

/**
 * Scores each cheap draft once with the shipped validator, sweeps validator-score thresholds over the
 * scores (cheap → strong only), and checks the sweep against the engine run with `learning: false`
 * and an explicit `qualityTarget` at three thresholds.
 */
export async function sweepFixedThresholds(options: { traces: readonly Trace[]; cheapModel: string; strongModel: string; pricing: Pricing; validator: QualityValidator; source: string }): Promise<ThresholdSweep> {
  const { traces, cheapModel, strongModel, pricing, validator } = options;
  const replay = createReplayModels(traces, [cheapModel, strongModel], { pacing: false, source: options.source });
  const rows: ScoredRow[] = [];
  for (const trace of traces) {
    const request = requestOf(trace);
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
      cheapQuality: labelOf(trace, cheapModel)!,
      strongQuality: labelOf(trace, strongModel)!,
      cheapCostUsd: callCost(trace, cheapModel, pricing),
      strongCostUsd: callCost(trace, strongModel, pricing),
      score: verdict.score,
      routeFrom,
    });
  }
  const strong = { quality: rows.reduce((sum, row) => sum + row.strongQuality, 0) / Math.max(1, rows.length), costUsd: rows.reduce((sum, row) => sum + row.strongCostUsd, 0) };
  const curve = sweepThresholds([DEFAULT_QUALITY_TARGET]).map((threshold) => cascadeAt(rows, threshold, strong));

  const runEngine = async (threshold: number): Promise<EngineFigures> => {
    const agent = createCascadeAgent({ models: replay, validator, pricing, learning: false, policy: { qualityTarget: threshold } });
    let quality = 0;
    let cost = 0;
    let accepted = 0;
    for (const trace of traces) {
      const result = await agent.run(requestOf(trace));
      quality += labelOf(trace, result.modelId) ?? 0;
      cost += result.costUsd;
      if (result.modelId === cheapModel) accepted++;
    }
    const n = Math.max(1, traces.length);
    return { threshold, quality: quality / n, costUsd: cost, acceptRate: accepted / n };
  };
  const checks: ThresholdSweep['checks'] = [];
  for (const threshold of [0.5, DEFAULT_QUALITY_TARGET, 0.85]) {
    const engine = await runEngine(threshold);
    const sweep = cascadeAt(rows, threshold, strong);
    checks.push({ threshold, engine, sweep, matches: sameFigures(engine, sweep) });
  }
  return { rows, curve, checks };
}

function sameFigures(engine: EngineFigures, sweep: CascadePoint): boolean {
  return Math.abs(engine.quality - sweep.quality) < 1e-9 && Math.abs(engine.costUsd - sweep.costUsd) <= 1e-9 * Math.max(1, sweep.costUsd) && Math.abs(engine.acceptRate - sweep.acceptRate) < 1e-9;
}
